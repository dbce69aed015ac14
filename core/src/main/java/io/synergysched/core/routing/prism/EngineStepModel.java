package io.synergysched.core.routing.prism;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.telemetry.StepObservation;

/**
 * One engine's online step-latency model as the forecaster asks it: step times for the fractional
 * loads its fluid forecasts produce, and the time of a reference step (32 decodes of 1,024 tokens
 * of context), kept until the model changes. Single-threaded (the router's); allocation-free.
 */
final class EngineStepModel {

  private final StepLatencyModel model;
  private final boolean fromPrior;
  private double referenceMs;
  /** Model version the reference step was predicted with, plus one; 0 before the first. */
  private long referenceVersion;

  /** @param fromPrior whether {@code model} started from its class prior (else it starts cold) */
  EngineStepModel(StepLatencyModel model, boolean fromPrior) {
    this.model = model;
    this.fromPrior = fromPrior;
  }

  /** Whether the forecasts can be trusted: the model started from a prior or has warmed up. */
  boolean reliable() {
    return fromPrior || model.isWarm();
  }

  void learn(StepObservation step) {
    model.learn(step);
  }

  /**
   * Predicted step, ms, with {@code prefill} tokens in one chunk (rounded up), {@code decodes}
   * sequences (rounded to the nearest) and {@code context} tokens of decode context (truncated).
   */
  double stepMs(double prefill, double decodes, double context) {
    int p = (int) Math.ceil(prefill);
    int d = (int) Math.round(decodes);
    long sq = (long) p * p;
    return model.predictUs(p, p > 0 ? 1 : 0, sq, 0L, 0L, d, (long) context) / 1000.0;
  }

  /** The reference step, ms: what the scorers compare engines' speeds by. */
  double referenceStepMs() {
    if (referenceVersion != model.modelVersion() + 1) {
      referenceMs = stepMs(0, 32, 32 * 1024);
      referenceVersion = model.modelVersion() + 1;
    }
    return referenceMs;
  }
}
