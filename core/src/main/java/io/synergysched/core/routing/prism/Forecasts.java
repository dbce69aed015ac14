package io.synergysched.core.routing.prism;

import java.util.Arrays;

/**
 * Predictions for one request on every engine, indexed by engine index; reused across requests
 * (mutable, single-threaded). Times in milliseconds; infinite means "cannot serve it".
 */
public final class Forecasts {

  /** Request these values are for; {@code Long.MIN_VALUE} before the first. */
  long requestId = Long.MIN_VALUE;
  /** Time of that routing decision (a request routed again after a shed is a new decision). */
  double decisionMs = Double.NaN;
  /** Predicted time to first token, ms. */
  public double[] ttftMs = new double[0];
  /** Predicted mean time per output token over the request's decode, ms. */
  public double[] tpotMs = new double[0];
  /** Added decode time, summed over the requests already running there, ms per token. */
  public double[] harmMs = new double[0];
  /** Decode step of a reference batch (32 sequences at 1,024 context) on that engine, ms: its speed. */
  public double[] referenceStepMs = new double[0];
  /** Share of the prompt expected to hit the engine's prefix cache, [0, 1). */
  public double[] cachedShare = new double[0];
  /**
   * Share of the engine's KV cache predicted to be held once this request is admitted: the blocks
   * in use at the last visible step plus those of the requests routed there since, plus its own.
   */
  public double[] kvShare = new double[0];
  /** False when the engine's forecast rests on no model at all (cold start without a prior). */
  public boolean[] reliable = new boolean[0];
  /** Requests the router has in flight on that engine (its own ledger), for the cold fallback. */
  public int[] inFlight = new int[0];

  void ensure(int n) {
    if (ttftMs.length < n) {
      ttftMs = Arrays.copyOf(ttftMs, n);
      tpotMs = Arrays.copyOf(tpotMs, n);
      harmMs = Arrays.copyOf(harmMs, n);
      referenceStepMs = Arrays.copyOf(referenceStepMs, n);
      cachedShare = Arrays.copyOf(cachedShare, n);
      reliable = Arrays.copyOf(reliable, n);
      inFlight = Arrays.copyOf(inFlight, n);
      kvShare = Arrays.copyOf(kvShare, n);
    }
  }

  /** Marks these values as computed for request {@code id} routed at {@code timeMs}. */
  public void markFor(long id, double timeMs, int engines) {
    ensure(engines);
    requestId = id;
    decisionMs = timeMs;
  }

  /** Whether the values are for request {@code id} routed at {@code timeMs}. */
  public boolean isFor(long id, double timeMs) {
    return requestId == id && decisionMs == timeMs;
  }

  /** Sizes the arrays for {@code engines} engines. */
  public void size(int engines) {
    ensure(engines);
  }
}
