package io.synergysched.runtime.query;

import io.synergysched.core.model.StepFeatures;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.runtime.mapping.ModelStateSerde;
import io.synergysched.schemas.EngineDescriptor;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One engine as the interactive queries answer it: its registration, its live status, a readable
 * summary of its performance model, and the model's exact state (base64 of the store's bytes) so a
 * caller can rebuild the model and predict with it. An engine that registered but has run no step
 * yet is listed with its registration alone.
 *
 * @param engineId engine, never null
 * @param status status from the latest step, or null when no step was ingested yet
 * @param model model summary, or null when the engine has no model yet
 * @param modelState base64 of the exact model state ({@code ModelStateSerde}), or null
 * @param servedBy {@code host:port} of the instance whose store answered
 * @param registration the engine's registry entry, or null when the registry holds none (it was
 *     retired, or its steps came before its descriptor)
 */
public record EngineSnapshot(
    String engineId, EngineStatus status, ModelSummary model, String modelState, String servedBy,
    Registration registration) {

  /**
   * The engine's latest registry descriptor, as the registry topic carries it.
   *
   * @param gpu GPU kind, e.g. a100
   * @param model served model, e.g. llama-2-7b
   * @param tensorParallel GPUs per engine
   * @param maxModelLen longest prompt plus output it accepts, tokens
   * @param scheduler batch scheduler, e.g. vllm-default
   * @param startedAtMs when this incarnation started, epoch ms
   * @param heartbeatMs its latest heartbeat, epoch ms
   */
  public record Registration(
      String gpu, String model, int tensorParallel, int maxModelLen, String scheduler,
      long startedAtMs, long heartbeatMs) {

    /** The registration a descriptor states; null for null. */
    public static Registration of(EngineDescriptor d) {
      return d == null ? null : new Registration(d.getGpu(), d.getModel(), d.getTensorParallel(),
          d.getMaxModelLen(), d.getScheduler(), d.getStartedAtMs(), d.getHeartbeatMs());
    }
  }

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

  /**
   * One engine as the trainer's stores hold it (registration, status, model state), answered by
   * {@code servedBy}; any of the three may be null.
   */
  public static EngineSnapshot of(String engineId, Registration registration, EngineStatus status,
      StepLatencyModelState state, String servedBy) {
    if (state == null) {
      return new EngineSnapshot(engineId, status, null, null, servedBy, registration);
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
    return new EngineSnapshot(engineId, status, summary, bytes, servedBy, registration);
  }

  /** The model state this view carries, rebuilt exactly, or null when it has none. */
  public StepLatencyModelState decodeModelState() {
    return modelState == null
        ? null
        : new ModelStateSerde().deserialize(null, Base64.getDecoder().decode(modelState));
  }
}
