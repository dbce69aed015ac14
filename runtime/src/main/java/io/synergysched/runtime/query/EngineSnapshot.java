package io.synergysched.runtime.query;

import io.synergysched.core.model.StepFeatures;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.runtime.mapping.ModelStateSerde;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One engine as the interactive queries answer it: its live status, a readable summary of its
 * performance model, and the model's exact state (base64 of the store's bytes) so a caller can
 * rebuild the model and predict with it.
 *
 * @param engineId engine, never null
 * @param status status from the latest step, or null when no step was ingested yet
 * @param model model summary, or null when the engine has no model yet
 * @param modelState base64 of the exact model state ({@code ModelStateSerde}), or null
 * @param servedBy {@code host:port} of the instance whose store answered
 */
public record EngineSnapshot(
    String engineId, EngineStatus status, ModelSummary model, String modelState, String servedBy) {

  /**
   * @param version model version, monotone per engine
   * @param engineClass class of the prior it started from, "" when it started cold
   * @param samples steps learned
   * @param kneeTokens knee of the GEMM hinge, tokens
   * @param coefficientsUsPerUnit coefficient per feature, microseconds per natural unit
   * @param recentR2 fit quality over recent steps (NaN before data)
   * @param recentMape mean absolute percentage error over recent predictions, fraction
   * @param meanLatencyMs average measured step latency, ms
   */
  public record ModelSummary(
      long version,
      String engineClass,
      long samples,
      double kneeTokens,
      Map<String, Double> coefficientsUsPerUnit,
      double recentR2,
      double recentMape,
      double meanLatencyMs) {}

  /** One engine as the trainer's stores hold it (status, model state), answered by {@code servedBy}. */
  public static EngineSnapshot of(
      String engineId, EngineStatus status, StepLatencyModelState state, String servedBy) {
    if (state == null) {
      return new EngineSnapshot(engineId, status, null, null, servedBy);
    }
    Map<String, Double> coefficients = new LinkedHashMap<>();
    double[] natural = state.coefficientsMicrosPerUnit();
    for (int i = 0; i < natural.length; i++) {
      coefficients.put(StepFeatures.name(i), natural[i]);
    }
    ModelSummary summary =
        new ModelSummary(
            state.modelVersion(),
            state.engineClass(),
            state.sampleCount(),
            state.kneeTokens(),
            coefficients,
            state.recentR2(),
            state.recentMape(),
            state.meanLatencyMs());
    String bytes = Base64.getEncoder().encodeToString(new ModelStateSerde().serialize(null, state));
    return new EngineSnapshot(engineId, status, summary, bytes, servedBy);
  }

  /** The model state this view carries, rebuilt exactly, or null when it has none. */
  public StepLatencyModelState decodeModelState() {
    return modelState == null
        ? null
        : new ModelStateSerde().deserialize(null, Base64.getDecoder().decode(modelState));
  }
}
