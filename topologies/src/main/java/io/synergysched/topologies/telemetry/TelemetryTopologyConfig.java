package io.synergysched.topologies.telemetry;

import io.synergysched.core.model.MaterialChangePolicy;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
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

  public static final Setting<Duration> SLO_WINDOW_SIZE = Setting.millis("synergy.slo.window.ms", 10_000, 1,
      Long.MAX_VALUE, "length of an SLO attainment window");
  public static final Setting<Duration> SLO_WINDOW_GRACE = Setting.millis("synergy.slo.grace.ms", 5_000, 0,
      Long.MAX_VALUE, "how long after a window ends late events may still join it");

  /**
   * The SLO window keys. The model-trainer builds this record in code at their defaults; no service
   * reads them from its configuration yet.
   */
  public static final Settings SETTINGS = Settings.of(SLO_WINDOW_SIZE, SLO_WINDOW_GRACE);

  public TelemetryTopologyConfig {
    Objects.requireNonNull(modelConfig, "modelConfig");
    Objects.requireNonNull(snapshotPolicy, "snapshotPolicy");
    priors = Map.copyOf(priors);
    SLO_WINDOW_SIZE.checkPresent(sloWindowSize);
    SLO_WINDOW_GRACE.checkPresent(sloWindowGrace);
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
        SLO_WINDOW_SIZE.defaultValue(),
        SLO_WINDOW_GRACE.defaultValue());
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
}
