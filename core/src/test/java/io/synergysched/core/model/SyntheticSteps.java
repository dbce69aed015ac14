package io.synergysched.core.model;

import io.synergysched.core.telemetry.StepObservation;
import java.util.List;

/** Synthetic engine telemetry for tests in other packages. */
public final class SyntheticSteps {

  private SyntheticSteps() {}

  /** {@code steps} steps of one engine at load LOW, MEDIUM or HIGH with lognormal noise {@code sigma}. */
  public static List<StepObservation> run(String engineId, long seed, String load, double sigma, int steps) {
    return new SyntheticEngine(engineId, seed, SyntheticEngine.Load.valueOf(load), sigma).run(steps);
  }
}
