package io.synergysched.core.telemetry;

/**
 * An engine's live state as its latest step telemetry shows it: what routers and planners read
 * next to the engine's performance model. Immutable.
 *
 * @param engineId engine, never null
 * @param stepsSeen steps ingested for this engine, &gt;= 1
 * @param lastStepIndex index of the latest step
 * @param lastStepStartMs start of the latest step, epoch ms
 * @param lastStepEndMs end of the latest step (start plus duration), epoch ms; "time since the last
 *     step" is measured from here
 * @param lastDurationUs duration of the latest step, us
 * @param waiting requests waiting after the latest step
 * @param running requests running after the latest step
 * @param kvBlocksUsed KV blocks in use after the latest step
 * @param kvBlocksTotal KV capacity, blocks
 * @param lastPrefillTokens prefill tokens in the latest step, tokens
 * @param lastDecodeSeqs decodes in the latest step
 * @param lastDecodeContextSum summed decode context in the latest step, tokens
 * @param tokenBudget token budget in force in the latest step, tokens (0 when unknown)
 * @param preemptionsTotal preemptions over all ingested steps
 */
public record EngineStatus(
    String engineId,
    long stepsSeen,
    long lastStepIndex,
    long lastStepStartMs,
    long lastStepEndMs,
    long lastDurationUs,
    int waiting,
    int running,
    int kvBlocksUsed,
    int kvBlocksTotal,
    int lastPrefillTokens,
    int lastDecodeSeqs,
    long lastDecodeContextSum,
    int tokenBudget,
    long preemptionsTotal) {

  /** The state after {@code step}, given the state before it (null for an engine's first step). */
  public static EngineStatus after(EngineStatus previous, StepObservation step) {
    long endMs = step.startTimeMs() + (step.durationUs() + 999) / 1000;
    return new EngineStatus(
        step.engineId(),
        previous == null ? 1 : previous.stepsSeen + 1,
        step.stepIndex(),
        step.startTimeMs(),
        endMs,
        step.durationUs(),
        step.waiting(),
        step.running(),
        step.kvBlocksUsed(),
        step.kvBlocksTotal(),
        step.prefillTokens(),
        step.decodeSeqs(),
        step.decodeContextSum(),
        step.tokenBudget(),
        (previous == null ? 0 : previous.preemptionsTotal) + step.preemptions());
  }

  /** KV-cache use as a fraction of capacity, in [0, 1]; 0 when capacity is unknown. */
  public double kvUtilization() {
    return kvBlocksTotal <= 0 ? 0.0 : (double) kvBlocksUsed / kvBlocksTotal;
  }

  /** Milliseconds from the end of the latest step to {@code nowMs}, never negative. */
  public long msSinceLastStep(long nowMs) {
    return Math.max(0, nowMs - lastStepEndMs);
  }
}
