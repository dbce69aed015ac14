package io.synergysched.core.scheduling;

import io.synergysched.core.model.StepLatencyPrior;

/**
 * What a batch scheduler may know about the engine it runs in when it is created. Static-budget
 * schedulers ignore it; model-driven ones (LENS) use the SLO defaults, the class prior of the
 * engine's performance model and the delay their control-plane hints travel.
 *
 * @param engineId engine id, never blank
 * @param defaultTtftMs TTFT target of requests that carry none, ms, &gt; 0
 * @param defaultTpotMs TPOT target of requests that carry none, ms, &gt; 0
 * @param prior step-latency prior of the engine's (GPU, model, TP) class; null starts cold
 * @param hintDelayMs time from planning a hint to its arrival at the engine, ms, &gt;= 0
 */
public record SchedulerEnvironment(
    String engineId, double defaultTtftMs, double defaultTpotMs, StepLatencyPrior prior, double hintDelayMs) {

  public SchedulerEnvironment {
    if (engineId == null || engineId.isBlank()) {
      throw new IllegalArgumentException("engineId must not be blank");
    }
    if (!(defaultTtftMs > 0) || !(defaultTpotMs > 0)) {
      throw new IllegalArgumentException("slo.ttft_ms and slo.tpot_ms must be > 0, got "
          + defaultTtftMs + "/" + defaultTpotMs);
    }
    if (!(hintDelayMs >= 0)) {
      throw new IllegalArgumentException("hint delay must be >= 0 ms, got " + hintDelayMs);
    }
  }

  /** A stand-alone engine: SLO 1 s / 100 ms, no prior, hints planned in place without delay. */
  public static SchedulerEnvironment standalone(String engineId) {
    return new SchedulerEnvironment(engineId, 1000, 100, null, 0);
  }
}
