package io.synergysched.core.lens;

/**
 * Where an engine's LENS scheduler reads its current hint: the control topic in a deployment, a
 * {@link DelayedLensHintFeed} in the simulator. Called from the engine's scheduling thread once per
 * step; implementations must be cheap and allocation-free on that path.
 */
public interface LensHintSource {

  /**
   * The newest hint that has reached the engine by {@code nowMs} (ms, non-decreasing between
   * calls), or null when none has. The caller checks {@link LensPlan#isValidAt}.
   */
  LensPlan current(double nowMs);
}
