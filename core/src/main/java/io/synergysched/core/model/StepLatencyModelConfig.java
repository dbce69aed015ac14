package io.synergysched.core.model;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.Map;

/**
 * How a {@link StepLatencyModel} learns. Immutable; the constructor checks every value against its
 * {@code synergy.model.*} declaration below and names the offending key, so a bad deployment fails
 * at start-up and not at the first step.
 *
 * @param forgettingFactor weight each past step keeps per new step, in (0.9, 1]; 0.998 remembers
 *     about 500 steps, 1 never forgets (offline fits)
 * @param kneeTokens tokens per step where the GEMMs turn compute-bound, &gt; 0; only used when no
 *     prior supplies a knee fitted from data
 * @param huberThreshold standardized residual beyond which a step is down-weighted as {@code c/|r|},
 *     &gt; 0 (2.5 keeps 98.8% of Gaussian steps at full weight)
 * @param relativeWeighting whether residuals are relative to the prediction (latency noise is
 *     multiplicative: weighted least squares with weight {@code 1/yhat^2}) or absolute, in ms
 * @param floorObservations information, in typical-observation units, that every coefficient
 *     keeps under forgetting (stabilized forgetting toward the current estimate), &gt;= 0
 * @param initialResidualScale residual scale before any data: relative (0.1 = 10%) when weighting
 *     is relative, else milliseconds; &gt; 0
 * @param scaleAdaptationRate EWMA rate of the robust residual scale and fit-quality figures, in (0,1)
 * @param warmSamples learned steps a model without a prior needs before stragglers are
 *     down-weighted, &gt;= {@link StepFeatures#DIMENSION}
 * @param correctionEnabled whether to learn the per-token-bin GEMM shape correction
 * @param correctionShrinkVisits pseudo-visits shrinking a bin's correction toward zero, &gt;= 0
 * @param correctionMinRate smallest EWMA rate of a bin's correction (its memory, in visits, is
 *     {@code 1/rate}), in (0,1]
 */
public record StepLatencyModelConfig(
    double forgettingFactor,
    double kneeTokens,
    double huberThreshold,
    boolean relativeWeighting,
    double floorObservations,
    double initialResidualScale,
    double scaleAdaptationRate,
    int warmSamples,
    boolean correctionEnabled,
    double correctionShrinkVisits,
    double correctionMinRate) {

  public static final String PREFIX = "synergy.model.";

  public static final Setting<Double> FORGETTING_FACTOR = Setting.number(PREFIX + "forgetting-factor", 0.998,
      "(0.9, 1]", v -> v > 0.9 && v <= 1.0,
      "weight each past step keeps per new step; 0.998 remembers about 500 steps, 1 never forgets");
  public static final Setting<Double> KNEE_TOKENS = Setting.number(PREFIX + "knee-tokens", 128.0, "> 0",
      v -> v > 0, "tokens per step where the GEMMs turn compute-bound, used when no prior supplies a knee");
  public static final Setting<Double> HUBER_THRESHOLD = Setting.number(PREFIX + "huber-threshold", 2.5, "> 0",
      v -> v > 0, "standardized residual beyond which a step is down-weighted as c/|r|");
  public static final Setting<Boolean> RELATIVE_WEIGHTING = Setting.flag(PREFIX + "relative-weighting", true,
      "residuals relative to the prediction (weight 1/yhat^2), or absolute in ms");
  public static final Setting<Double> FLOOR_OBSERVATIONS = Setting.number(PREFIX + "floor-observations", 2.0,
      0, Double.POSITIVE_INFINITY,
      "information, in typical-observation units, that every coefficient keeps under forgetting");
  public static final Setting<Double> INITIAL_RESIDUAL_SCALE = Setting.number(PREFIX + "initial-residual-scale",
      0.1, "> 0", v -> v > 0,
      "residual scale before any data: relative (0.1 = 10%) when weighting is relative, else ms");
  public static final Setting<Double> SCALE_ADAPTATION_RATE = Setting.number(PREFIX + "scale-adaptation-rate",
      0.02, "(0, 1)", v -> v > 0 && v < 1, "EWMA rate of the robust residual scale and fit-quality figures");
  public static final Setting<Integer> WARM_SAMPLES = Setting.integer(PREFIX + "warm-samples", 24,
      StepFeatures.DIMENSION, Integer.MAX_VALUE,
      "learned steps a model without a prior needs before stragglers are down-weighted");
  public static final Setting<Boolean> CORRECTION_ENABLED = Setting.flag(PREFIX + "correction-enabled", true,
      "learn the per-token-bin GEMM shape correction");
  public static final Setting<Double> CORRECTION_SHRINK_VISITS = Setting.number(
      PREFIX + "correction-shrink-visits", 2.0, 0, Double.POSITIVE_INFINITY,
      "pseudo-visits shrinking a bin's correction toward zero");
  public static final Setting<Double> CORRECTION_MIN_RATE = Setting.number(PREFIX + "correction-min-rate", 0.05,
      "(0, 1]", v -> v > 0 && v <= 1,
      "smallest EWMA rate of a bin's correction (its memory, in visits, is 1/rate)");

  /** The model's keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(FORGETTING_FACTOR, KNEE_TOKENS, HUBER_THRESHOLD,
      RELATIVE_WEIGHTING, FLOOR_OBSERVATIONS, INITIAL_RESIDUAL_SCALE, SCALE_ADAPTATION_RATE, WARM_SAMPLES,
      CORRECTION_ENABLED, CORRECTION_SHRINK_VISITS, CORRECTION_MIN_RATE);

  public StepLatencyModelConfig {
    FORGETTING_FACTOR.check(forgettingFactor);
    KNEE_TOKENS.check(kneeTokens);
    HUBER_THRESHOLD.check(huberThreshold);
    FLOOR_OBSERVATIONS.check(floorObservations);
    INITIAL_RESIDUAL_SCALE.check(initialResidualScale);
    SCALE_ADAPTATION_RATE.check(scaleAdaptationRate);
    WARM_SAMPLES.check(warmSamples);
    CORRECTION_SHRINK_VISITS.check(correctionShrinkVisits);
    CORRECTION_MIN_RATE.check(correctionMinRate);
  }

  /** The defaults the accuracy tests were run with. */
  public static StepLatencyModelConfig defaults() {
    return fromProperties(Map.of());
  }

  /** A copy for offline fitting: no forgetting, everything else unchanged. */
  public StepLatencyModelConfig withoutForgetting() {
    return withForgettingFactor(1.0);
  }

  public StepLatencyModelConfig withForgettingFactor(double factor) {
    return new StepLatencyModelConfig(
        factor,
        kneeTokens,
        huberThreshold,
        relativeWeighting,
        floorObservations,
        initialResidualScale,
        scaleAdaptationRate,
        warmSamples,
        correctionEnabled,
        correctionShrinkVisits,
        correctionMinRate);
  }

  public StepLatencyModelConfig withKneeTokens(double knee) {
    return new StepLatencyModelConfig(
        forgettingFactor,
        knee,
        huberThreshold,
        relativeWeighting,
        floorObservations,
        initialResidualScale,
        scaleAdaptationRate,
        warmSamples,
        correctionEnabled,
        correctionShrinkVisits,
        correctionMinRate);
  }

  public StepLatencyModelConfig withCorrectionEnabled(boolean enabled) {
    return new StepLatencyModelConfig(
        forgettingFactor,
        kneeTokens,
        huberThreshold,
        relativeWeighting,
        floorObservations,
        initialResidualScale,
        scaleAdaptationRate,
        warmSamples,
        enabled,
        correctionShrinkVisits,
        correctionMinRate);
  }

  /**
   * Reads {@code synergy.model.*} keys (for example {@code synergy.model.forgetting-factor}) from
   * {@code properties}, falling back to {@link #defaults()} per key; the caller layers environment
   * overrides into the map. Throws {@link IllegalArgumentException} naming the key on a bad value.
   */
  public static StepLatencyModelConfig fromProperties(Map<String, String> properties) {
    return new StepLatencyModelConfig(
        FORGETTING_FACTOR.read(properties),
        KNEE_TOKENS.read(properties),
        HUBER_THRESHOLD.read(properties),
        RELATIVE_WEIGHTING.read(properties),
        FLOOR_OBSERVATIONS.read(properties),
        INITIAL_RESIDUAL_SCALE.read(properties),
        SCALE_ADAPTATION_RATE.read(properties),
        WARM_SAMPLES.read(properties),
        CORRECTION_ENABLED.read(properties),
        CORRECTION_SHRINK_VISITS.read(properties),
        CORRECTION_MIN_RATE.read(properties));
  }
}
