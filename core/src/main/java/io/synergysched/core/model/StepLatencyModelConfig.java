package io.synergysched.core.model;

import io.synergysched.core.setting.Settings;
import java.util.Map;
import java.util.function.Function;

/**
 * How a {@link StepLatencyModel} learns. Immutable; {@link #validate()} runs in the constructor and
 * names the offending key, so a bad deployment fails at start-up and not at the first step.
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

  public StepLatencyModelConfig {
    validate(
        forgettingFactor,
        kneeTokens,
        huberThreshold,
        floorObservations,
        initialResidualScale,
        scaleAdaptationRate,
        warmSamples,
        correctionShrinkVisits,
        correctionMinRate);
  }

  /** The defaults the accuracy tests were run with. */
  public static StepLatencyModelConfig defaults() {
    return new StepLatencyModelConfig(0.998, 128.0, 2.5, true, 2.0, 0.1, 0.02, 24, true, 2.0, 0.05);
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
    StepLatencyModelConfig d = defaults();
    return new StepLatencyModelConfig(
        read(properties, "forgetting-factor", Double::parseDouble, d.forgettingFactor()),
        read(properties, "knee-tokens", Double::parseDouble, d.kneeTokens()),
        read(properties, "huber-threshold", Double::parseDouble, d.huberThreshold()),
        read(properties, "relative-weighting", StepLatencyModelConfig::parseBoolean, d.relativeWeighting()),
        read(properties, "floor-observations", Double::parseDouble, d.floorObservations()),
        read(properties, "initial-residual-scale", Double::parseDouble, d.initialResidualScale()),
        read(properties, "scale-adaptation-rate", Double::parseDouble, d.scaleAdaptationRate()),
        read(properties, "warm-samples", Integer::parseInt, d.warmSamples()),
        read(properties, "correction-enabled", StepLatencyModelConfig::parseBoolean, d.correctionEnabled()),
        read(properties, "correction-shrink-visits", Double::parseDouble, d.correctionShrinkVisits()),
        read(properties, "correction-min-rate", Double::parseDouble, d.correctionMinRate()));
  }

  private static boolean parseBoolean(String text) {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("not a boolean: " + text);
  }

  private static <T> T read(Map<String, String> properties, String key, Function<String, T> parser, T fallback) {
    return Settings.value(properties, PREFIX + key, parser, fallback);
  }


  private static void validate(
      double forgettingFactor,
      double kneeTokens,
      double huberThreshold,
      double floorObservations,
      double initialResidualScale,
      double scaleAdaptationRate,
      int warmSamples,
      double correctionShrinkVisits,
      double correctionMinRate) {
    require(forgettingFactor > 0.9 && forgettingFactor <= 1.0, "forgetting-factor", "in (0.9, 1]", forgettingFactor);
    require(kneeTokens > 0 && Double.isFinite(kneeTokens), "knee-tokens", "> 0", kneeTokens);
    require(huberThreshold > 0 && Double.isFinite(huberThreshold), "huber-threshold", "> 0", huberThreshold);
    require(floorObservations >= 0 && Double.isFinite(floorObservations), "floor-observations", ">= 0", floorObservations);
    require(
        initialResidualScale > 0 && Double.isFinite(initialResidualScale),
        "initial-residual-scale",
        "> 0",
        initialResidualScale);
    require(
        scaleAdaptationRate > 0 && scaleAdaptationRate < 1, "scale-adaptation-rate", "in (0, 1)", scaleAdaptationRate);
    require(warmSamples >= StepFeatures.DIMENSION, "warm-samples", ">= " + StepFeatures.DIMENSION, warmSamples);
    require(
        correctionShrinkVisits >= 0 && Double.isFinite(correctionShrinkVisits),
        "correction-shrink-visits",
        ">= 0",
        correctionShrinkVisits);
    require(correctionMinRate > 0 && correctionMinRate <= 1, "correction-min-rate", "in (0, 1]", correctionMinRate);
  }

  private static void require(boolean ok, String key, String range, double value) {
    if (!ok) {
      throw new IllegalArgumentException(PREFIX + key + " must be " + range + ", was " + value);
    }
  }
}
