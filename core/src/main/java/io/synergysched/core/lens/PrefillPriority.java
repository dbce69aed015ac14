package io.synergysched.core.lens;

/**
 * The levels LENS orders prefill work on, most urgent first: the declaration order is the order in
 * which {@link PrefillShortList} serves them.
 */
enum PrefillPriority {

  /**
   * SLO-protected: admitted prefills on track, admitted ones deferred for too long, and preempted
   * requests recomputing (their first token is out, so their TPOT is what is at stake).
   */
  PROTECTED,

  /** Waiting requests that can still make their TTFT. */
  FEASIBLE,

  /** Requests that cannot make their TTFT: they take only the budget no one else can use. */
  DEFERRED;

  /** A deferred admitted prefill is finished first once it has waited this many TTFT targets. */
  static final double ADMITTED_DEFERRAL_TTFT_MULTIPLE = 2.0;

  /**
   * The level of a request whose first token is not out yet.
   *
   * @param slackMs TTFT deadline minus now minus its own fastest prefill, ms (NaN counts as late)
   * @param admitted whether it already holds KV (a running prefill) rather than waiting
   * @param waitedMs time since its arrival, ms
   * @param ttftTargetMs its TTFT target, ms, &gt; 0
   */
  static PrefillPriority ofFirstPrefill(double slackMs, boolean admitted, double waitedMs, double ttftTargetMs) {
    if (slackMs >= 0) {
      return admitted ? PROTECTED : FEASIBLE;
    }
    // An admitted prefill holds KV: deferred, it may wait only so long before it is finished
    // first, or it would starve behind new arrivals while its blocks sit idle.
    return admitted && waitedMs > ADMITTED_DEFERRAL_TTFT_MULTIPLE * ttftTargetMs ? PROTECTED : DEFERRED;
  }

  boolean isDeferred() {
    return this == DEFERRED;
  }
}
