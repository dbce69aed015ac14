package io.synergysched.core.model.audit;

import io.synergysched.core.telemetry.StepObservation;

/**
 * One engine's step-latency predictor as the offline audit sees it: predict a step, then learn
 * from it. Ours and the baselines implement it so one prequential run compares them.
 *
 * <p>Implementations are not thread-safe; the evaluator makes one instance per engine and feeds it
 * that engine's steps in order.
 */
public interface StepLatencyPredictor {

  /** Kebab-case name used in audit rows, for example {@code synergy}. */
  String name();

  /**
   * Predicted duration of {@code step} (only its composition and the engine state it reports are
   * used, never its measured duration), microseconds, finite and &gt;= 0. Predictors that cannot
   * predict yet return their best fallback (for example the mean seen so far, or 0 before any data).
   */
  double predictUs(StepObservation step);

  /** Learns from a measured step; implausible steps are ignored. {@code step} is never null. */
  void learn(StepObservation step);
}
