package io.synergysched.topologies.lens;

import io.synergysched.core.setting.Settings;
import io.synergysched.core.lens.LensHintPublishPolicy;
import io.synergysched.core.lens.LensPlannerConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

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

  public static final String TPOT_MS = "synergy.lens.slo.tpot-ms";
  public static final String PLAN_INTERVAL_MS = "synergy.lens.plan-interval-ms";
  public static final String BUDGET_FRACTION = "synergy.lens.material.budget-fraction";
  public static final String MAX_SEQS_FRACTION = "synergy.lens.material.max-seqs-fraction";
  public static final String WATERMARK_DELTA = "synergy.lens.material.watermark-delta";
  public static final String REFRESH_AFTER_MS = "synergy.lens.refresh-after-ms";

  /** Every key {@link #fromProperties} reads. */
  public static final List<String> KEYS = Stream.concat(
          LensPlannerConfig.KEYS.stream(),
          Stream.of(TPOT_MS, PLAN_INTERVAL_MS, BUDGET_FRACTION, MAX_SEQS_FRACTION, WATERMARK_DELTA,
              REFRESH_AFTER_MS))
      .toList();

  public LensHintTopologyConfig {
    Objects.requireNonNull(planner, "planner").validate();
    Objects.requireNonNull(publishPolicy, "publishPolicy");
    if (!(tpotTargetMs > 0) || Double.isInfinite(tpotTargetMs)) {
      throw new IllegalArgumentException(TPOT_MS + " must be > 0, got " + tpotTargetMs);
    }
    if (planIntervalMs <= 0) {
      throw new IllegalArgumentException(PLAN_INTERVAL_MS + " must be > 0, got " + planIntervalMs);
    }
    // A refresh is published at most one planning round after it is due; it must still arrive
    // before the old hint expires.
    if (publishPolicy.refreshAfterMs() + planIntervalMs >= planner.hintTtlMs()) {
      throw new IllegalArgumentException(REFRESH_AFTER_MS + " (" + publishPolicy.refreshAfterMs() + ") plus "
          + PLAN_INTERVAL_MS + " (" + planIntervalMs + ") must be below synergy.lens.hint-ttl-ms ("
          + planner.hintTtlMs() + "), or a healthy engine's hint expires before its refresh");
    }
  }

  /** TPOT 100 ms, a planning round every second, the planner's and the policy's defaults. */
  public static LensHintTopologyConfig defaults() {
    LensPlannerConfig planner = LensPlannerConfig.defaults();
    return new LensHintTopologyConfig(planner, 100, 1_000, LensHintPublishPolicy.defaults(planner.hintTtlMs()));
  }

  /**
   * The {@code synergy.lens.*} keys of {@code settings} over the defaults.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static LensHintTopologyConfig fromProperties(Map<String, String> settings) {
    LensPlannerConfig planner = LensPlannerConfig.fromProperties(settings);
    LensHintPublishPolicy d = LensHintPublishPolicy.defaults(planner.hintTtlMs());
    return new LensHintTopologyConfig(
        planner,
        number(settings, TPOT_MS, 100),
        (long) whole(settings, PLAN_INTERVAL_MS, 1_000),
        new LensHintPublishPolicy(
            number(settings, BUDGET_FRACTION, d.budgetFraction()),
            number(settings, MAX_SEQS_FRACTION, d.maxSeqsFraction()),
            number(settings, WATERMARK_DELTA, d.watermarkDelta()),
            (long) whole(settings, REFRESH_AFTER_MS, d.refreshAfterMs())));
  }

  private static double number(Map<String, String> settings, String key, double fallback) {
    return Settings.value(settings, key, Double::parseDouble, fallback);
  }


  private static double whole(Map<String, String> settings, String key, double fallback) {
    double value = number(settings, key, fallback);
    if (value != Math.rint(value)) {
      throw new IllegalArgumentException(key + " must be a whole number, was " + value);
    }
    return value;
  }
}
