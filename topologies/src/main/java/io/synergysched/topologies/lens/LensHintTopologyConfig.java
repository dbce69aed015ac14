package io.synergysched.topologies.lens;

import io.synergysched.core.lens.LensHintPublishPolicy;
import io.synergysched.core.lens.LensPlannerConfig;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the LENS hint planning in the model-trainer ({@code synergy.lens.*}).
 *
 * @param planner the planner's settings (margin, TTL, limits)
 * @param tpotTargetMs TPOT target the hints protect, ms, &gt; 0: the SLO default of the engines'
 *     requests ({@code synergy.lens.slo.tpot-ms})
 * @param planIntervalMs wall time between planning rounds over the engines, ms, &gt; 0
 * @param publishPolicy when a planned hint is published (material change or refresh)
 */
public record LensHintTopologyConfig(
    LensPlannerConfig planner, double tpotTargetMs, long planIntervalMs, LensHintPublishPolicy publishPolicy) {

  public static final Setting<Double> TPOT_TARGET = Setting.number("synergy.lens.slo.tpot-ms", 100, "> 0",
      v -> v > 0, "TPOT target the hints protect, ms: the SLO default of the engines' requests");
  public static final Setting<Duration> PLAN_INTERVAL = Setting.millis("synergy.lens.plan-interval-ms", 1_000,
      1, Long.MAX_VALUE, "wall time between planning rounds over the engines");

  /** The keys of the hint planning itself (the planner's and the publishing rule's are theirs). */
  public static final Settings SETTINGS = Settings.of(TPOT_TARGET, PLAN_INTERVAL);

  /** Every key {@link #fromProperties} reads: these, the planner's and the publishing rule's. */
  public static final Settings ALL_SETTINGS =
      SETTINGS.and(LensPlannerConfig.SETTINGS).and(LensHintPublishPolicy.SETTINGS);

  /** The key of {@link #TPOT_TARGET}, for code that writes settings. */
  public static final String TPOT_MS = TPOT_TARGET.key();

  public LensHintTopologyConfig {
    Objects.requireNonNull(planner, "planner").validate();
    Objects.requireNonNull(publishPolicy, "publishPolicy");
    TPOT_TARGET.check(tpotTargetMs);
    PLAN_INTERVAL.check(Duration.ofMillis(planIntervalMs));
    // A refresh is published at most one planning round after it is due; it must still arrive
    // before the old hint expires.
    if (publishPolicy.refreshAfterMs() + planIntervalMs >= planner.hintTtlMs()) {
      throw new IllegalArgumentException(LensHintPublishPolicy.REFRESH_AFTER + " (" + publishPolicy.refreshAfterMs()
          + ") plus " + PLAN_INTERVAL + " (" + planIntervalMs + ") must be below " + LensPlannerConfig.HINT_TTL
          + " (" + planner.hintTtlMs() + "), or a healthy engine's hint expires before its refresh");
    }
  }

  /** TPOT 100 ms, a planning round every second, the planner's and the policy's defaults. */
  public static LensHintTopologyConfig defaults() {
    return fromProperties(Map.of());
  }

  /**
   * The {@code synergy.lens.*} keys of {@code settings} over the defaults.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static LensHintTopologyConfig fromProperties(Map<String, String> settings) {
    LensPlannerConfig planner = LensPlannerConfig.fromProperties(settings);
    return new LensHintTopologyConfig(
        planner,
        TPOT_TARGET.read(settings),
        PLAN_INTERVAL.read(settings).toMillis(),
        LensHintPublishPolicy.fromProperties(settings, planner.hintTtlMs()));
  }
}
