package io.synergysched.core.model;

import java.util.Objects;

/**
 * A cold-start prior for one (GPU, model, TP) class: a fitted model state whose information has
 * been scaled down to {@code pseudoObservations} steps' worth, so a new engine of the class predicts
 * well from its first step and its own data outweighs the prior after a few dozen steps. Forgetting
 * decays the pseudo-observations like any other data; stabilized forgetting keeps what the engine's
 * own data never excites (for example the prefill terms of an engine that has only decoded so far)
 * at the prior's value instead of letting it drift.
 *
 * @param engineClass class key, for example {@code "a100/llama-2-7b/tp1"}; never null or blank
 * @param state the fitted state (information already scaled to the pseudo-observations)
 * @param pseudoObservations how many steps the prior counts as, &gt; 0
 * @param fittedSteps steps the offline fit used
 * @param fitR2 in-sample R^2 of the offline fit (full model), for the record
 * @param fitMape in-sample mean absolute percentage error of the offline fit, fraction
 */
public record StepLatencyPrior(
    String engineClass,
    StepLatencyModelState state,
    double pseudoObservations,
    long fittedSteps,
    double fitR2,
    double fitMape) {

  public StepLatencyPrior {
    Objects.requireNonNull(state, "state");
    if (engineClass == null || engineClass.isBlank()) {
      throw new IllegalArgumentException("engineClass must not be blank");
    }
    if (!(pseudoObservations > 0)) {
      throw new IllegalArgumentException("pseudoObservations must be > 0, was " + pseudoObservations);
    }
  }

  /** The key a registry of priors uses for a (GPU, model, TP) class. */
  public static String classKey(String gpu, String model, int tensorParallel) {
    return gpu.toLowerCase(java.util.Locale.ROOT) + "/" + model.toLowerCase(java.util.Locale.ROOT) + "/tp" + tensorParallel;
  }
}
