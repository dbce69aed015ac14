package io.synergysched.topologies.telemetry;

import io.synergysched.core.model.MaterialChangePolicy;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.topologies.lens.LensHintTopologyConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of {@link TelemetryTopology}.
 *
 * @param modelConfig online fit settings of every engine's model
 * @param snapshotPolicy when a model changed enough to publish a snapshot
 * @param priors cold-start priors by class key ({@link StepLatencyPrior#classKey}); an engine
 *     whose class has none starts cold
 * @param sloWindowSize length of an SLO attainment window, positive
 * @param sloWindowGrace how long after a window ends late events may still join it, &gt;= 0
 * @param lens LENS hint planning ({@link io.synergysched.topologies.lens.LensHintTopology}), or null
 *     to publish no hints
 */
public record TelemetryTopologyConfig(
    StepLatencyModelConfig modelConfig,
    MaterialChangePolicy snapshotPolicy,
    Map<String, StepLatencyPrior> priors,
    Duration sloWindowSize,
    Duration sloWindowGrace,
    LensHintTopologyConfig lens) {

  public static final String SLO_WINDOW_MS = "synergy.slo.window.ms";
  public static final String SLO_GRACE_MS = "synergy.slo.grace.ms";

  public TelemetryTopologyConfig {
    Objects.requireNonNull(modelConfig, "modelConfig");
    Objects.requireNonNull(snapshotPolicy, "snapshotPolicy");
    priors = Map.copyOf(priors);
    validate(sloWindowSize, sloWindowGrace);
  }

  /** Without LENS hint planning. */
  public TelemetryTopologyConfig(
      StepLatencyModelConfig modelConfig,
      MaterialChangePolicy snapshotPolicy,
      Map<String, StepLatencyPrior> priors,
      Duration sloWindowSize,
      Duration sloWindowGrace) {
    this(modelConfig, snapshotPolicy, priors, sloWindowSize, sloWindowGrace, null);
  }

  /** Defaults: the model's defaults, no priors, 10 s SLO windows with 5 s grace. */
  public static TelemetryTopologyConfig defaults() {
    StepLatencyModelConfig model = StepLatencyModelConfig.defaults();
    return new TelemetryTopologyConfig(
        model,
        MaterialChangePolicy.defaults(model),
        Map.of(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5));
  }

  public TelemetryTopologyConfig withPriors(Map<String, StepLatencyPrior> newPriors) {
    return new TelemetryTopologyConfig(
        modelConfig, snapshotPolicy, newPriors, sloWindowSize, sloWindowGrace, lens);
  }

  /** The same settings planning LENS hints with {@code newLens} (null: none). */
  public TelemetryTopologyConfig withLens(LensHintTopologyConfig newLens) {
    return new TelemetryTopologyConfig(
        modelConfig, snapshotPolicy, priors, sloWindowSize, sloWindowGrace, newLens);
  }

  private static void validate(Duration size, Duration grace) {
    if (size == null || size.isZero() || size.isNegative()) {
      throw new IllegalArgumentException(SLO_WINDOW_MS + " must be positive, was " + size);
    }
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException(SLO_GRACE_MS + " must be >= 0, was " + grace);
    }
  }
}
