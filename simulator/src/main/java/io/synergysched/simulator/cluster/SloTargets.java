package io.synergysched.simulator.cluster;

/**
 * Default latency targets, applied to requests whose trace gives none.
 *
 * @param ttftMs time to first token, ms, &gt; 0
 * @param tpotMs mean time per output token after the first, ms, &gt; 0
 */
public record SloTargets(double ttftMs, double tpotMs) {

  public SloTargets {
    if (!(ttftMs > 0)) {
      throw new IllegalArgumentException("slo.ttft_ms must be > 0, got " + ttftMs);
    }
    if (!(tpotMs > 0)) {
      throw new IllegalArgumentException("slo.tpot_ms must be > 0, got " + tpotMs);
    }
  }
}
