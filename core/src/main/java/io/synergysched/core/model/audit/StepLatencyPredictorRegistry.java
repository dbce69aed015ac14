package io.synergysched.core.model.audit;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The predictors an audit compares, by kebab-case name, each as a factory of per-engine instances:
 * {@value SynergyStepPredictor#NAME}, {@value LlumnixQuadraticPredictor#NAME},
 * {@value LlmdLinearPredictor#NAME}. Thread-safe (immutable).
 */
public final class StepLatencyPredictorRegistry {

  private StepLatencyPredictorRegistry() {}

  /**
   * The standard comparison. {@code priorForEngine} gives the class prior of an engine (empty for a
   * cold start); pass {@code id -> Optional.empty()} to audit cold starts.
   */
  public static Map<String, Function<String, StepLatencyPredictor>> standard(
      StepLatencyModelConfig config, Function<String, Optional<StepLatencyPrior>> priorForEngine) {
    Map<String, Function<String, StepLatencyPredictor>> factories = new LinkedHashMap<>();
    factories.put(
        SynergyStepPredictor.NAME,
        engine ->
            priorForEngine
                .apply(engine)
                .map(prior -> (StepLatencyPredictor) SynergyStepPredictor.fromPrior(prior, config))
                .orElseGet(() -> SynergyStepPredictor.cold(config)));
    factories.put(LlumnixQuadraticPredictor.NAME, engine -> new LlumnixQuadraticPredictor());
    factories.put(LlmdLinearPredictor.NAME, engine -> new LlmdLinearPredictor());
    return factories;
  }

  /** One predictor by name from {@link #standard}; throws naming the unknown predictor. */
  public static Function<String, StepLatencyPredictor> byName(
      String name, StepLatencyModelConfig config, Function<String, Optional<StepLatencyPrior>> priorForEngine) {
    Function<String, StepLatencyPredictor> factory = standard(config, priorForEngine).get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown predictor '" + name + "', known: " + standard(config, priorForEngine).keySet());
    }
    return factory;
  }
}
