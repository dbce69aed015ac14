package io.synergysched.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a {@link StepLatencyModel} knows, as plain values: what a state store keeps, what a
 * snapshot publishes, and what {@link StepLatencyModel#fromState} resumes from bit-for-bit (so a
 * replay of the same telemetry gives the same state). Immutable: arrays are copied in and out.
 *
 * <p>Coefficients and the information matrix are in scaled feature units ({@link StepFeatures})
 * and milliseconds; {@link #coefficientsMicrosPerUnit()} gives them per natural unit.
 *
 * @param formatVersion layout of this record, {@link #FORMAT_VERSION}; a reader rejects others
 * @param engineClass (GPU, model, TP) class of the prior the model started from, "" if none; never null
 * @param modelVersion accepted updates since the model was created, monotone; orders snapshots
 * @param sampleCount steps learned, &gt;= 0
 * @param rejectedCount implausible steps refused, &gt;= 0
 * @param effectiveSamples decayed weight of the data (and prior) behind the fit, &gt;= 0
 * @param kneeTokens the knee of the GEMM hinge, tokens, &gt; 0
 * @param coefficients solved coefficients, ms per scaled unit, length {@link StepFeatures#DIMENSION}
 * @param information decayed weighted normal matrix {@code sum w x x'}, row-major, DIMENSION^2
 * @param weightedTargets decayed {@code sum w x y}, DIMENSION
 * @param typicalInformation typical {@code w x_i^2} of one observation that excites feature i
 * @param correctionMs per token bin ({@link TokenBins}) additive correction, ms
 * @param correctionVisits per token bin, (capped) number of steps that taught the correction
 * @param residualScale robust residual scale, relative (or ms when weighting is absolute)
 * @param meanLatencyMs EWMA of measured step latency, ms
 * @param recentMape EWMA of |error| / measured, over predictions made before learning, fraction
 * @param recentSquaredErrorMs2 EWMA of squared prediction error, ms^2
 * @param recentLatencyVarianceMs2 EWMA variance of measured latency, ms^2
 */
public record StepLatencyModelState(
    int formatVersion,
    String engineClass,
    long modelVersion,
    long sampleCount,
    long rejectedCount,
    double effectiveSamples,
    double kneeTokens,
    double[] coefficients,
    double[] information,
    double[] weightedTargets,
    double[] typicalInformation,
    double[] correctionMs,
    double[] correctionVisits,
    double residualScale,
    double meanLatencyMs,
    double recentMape,
    double recentSquaredErrorMs2,
    double recentLatencyVarianceMs2) {

  public static final int FORMAT_VERSION = 1;

  public StepLatencyModelState {
    Objects.requireNonNull(engineClass, "engineClass");
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("formatVersion " + formatVersion + " unsupported, expected " + FORMAT_VERSION);
    }
    int d = StepFeatures.DIMENSION;
    coefficients = copy(coefficients, d, "coefficients");
    information = copy(information, d * d, "information");
    weightedTargets = copy(weightedTargets, d, "weightedTargets");
    typicalInformation = copy(typicalInformation, d, "typicalInformation");
    correctionMs = copy(correctionMs, TokenBins.COUNT, "correctionMs");
    correctionVisits = copy(correctionVisits, TokenBins.COUNT, "correctionVisits");
    if (!(kneeTokens > 0)) {
      throw new IllegalArgumentException("kneeTokens must be > 0, was " + kneeTokens);
    }
    if (!(residualScale > 0)) {
      throw new IllegalArgumentException("residualScale must be > 0, was " + residualScale);
    }
    if (sampleCount < 0 || rejectedCount < 0 || modelVersion < 0 || !(effectiveSamples >= 0)) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }

  private static double[] copy(double[] values, int length, String name) {
    Objects.requireNonNull(values, name);
    if (values.length != length) {
      throw new IllegalArgumentException(name + " must have length " + length + ", had " + values.length);
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " holds a non-finite value");
      }
    }
    return values.clone();
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  @Override
  public double[] information() {
    return information.clone();
  }

  @Override
  public double[] weightedTargets() {
    return weightedTargets.clone();
  }

  @Override
  public double[] typicalInformation() {
    return typicalInformation.clone();
  }

  @Override
  public double[] correctionMs() {
    return correctionMs.clone();
  }

  @Override
  public double[] correctionVisits() {
    return correctionVisits.clone();
  }

  /** Coefficient {@code index} without copying the array. */
  public double coefficient(int index) {
    return coefficients[index];
  }

  /** Coefficients in microseconds per natural unit (per token, per token^2, per sequence...). */
  public double[] coefficientsMicrosPerUnit() {
    double[] natural = new double[StepFeatures.DIMENSION];
    for (int i = 0; i < natural.length; i++) {
      natural[i] = coefficients[i] * 1000.0 / StepFeatures.scale(i);
    }
    return natural;
  }

  /**
   * Predicted latency, microseconds (&gt; 0), of a step whose scaled features ({@link StepFeatures},
   * computed with {@link #kneeTokens()}) are {@code features} and whose total token count is
   * {@code totalTokens}; {@code shrinkVisits} is the config's correction shrinkage. Allocation-free.
   */
  public double predictUs(double[] features, long totalTokens, double shrinkVisits) {
    double sum = 0.0;
    for (int i = 0; i < StepFeatures.DIMENSION; i++) {
      sum += coefficients[i] * features[i];
    }
    int bin = TokenBins.of(totalTokens);
    double visits = correctionVisits[bin];
    if (visits > 0) {
      sum += correctionMs[bin] * visits / (visits + shrinkVisits);
    }
    return Math.max(sum, 1e-3) * 1000.0;
  }

  /**
   * The inverse of the information matrix (the parameter covariance divided by the squared
   * residual scale), row-major, for prediction intervals. Allocates; thread-safe.
   */
  public double[] inverseInformation() {
    boolean[] none = new boolean[StepFeatures.DIMENSION];
    double[] inverse = new double[information.length];
    if (!new NonNegativeNormalSolver(StepFeatures.DIMENSION, none).invert(information, inverse)) {
      throw new IllegalStateException("information matrix cannot be factored");
    }
    return inverse;
  }

  /** Fit quality over recent steps: 1 - EWMA squared error / EWMA latency variance; NaN before data. */
  public double recentR2() {
    if (!(recentLatencyVarianceMs2 > 0)) {
      return Double.NaN;
    }
    return 1.0 - recentSquaredErrorMs2 / recentLatencyVarianceMs2;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StepLatencyModelState s
        && formatVersion == s.formatVersion
        && engineClass.equals(s.engineClass)
        && modelVersion == s.modelVersion
        && sampleCount == s.sampleCount
        && rejectedCount == s.rejectedCount
        && Double.compare(effectiveSamples, s.effectiveSamples) == 0
        && Double.compare(kneeTokens, s.kneeTokens) == 0
        && Arrays.equals(coefficients, s.coefficients)
        && Arrays.equals(information, s.information)
        && Arrays.equals(weightedTargets, s.weightedTargets)
        && Arrays.equals(typicalInformation, s.typicalInformation)
        && Arrays.equals(correctionMs, s.correctionMs)
        && Arrays.equals(correctionVisits, s.correctionVisits)
        && Double.compare(residualScale, s.residualScale) == 0
        && Double.compare(meanLatencyMs, s.meanLatencyMs) == 0
        && Double.compare(recentMape, s.recentMape) == 0
        && Double.compare(recentSquaredErrorMs2, s.recentSquaredErrorMs2) == 0
        && Double.compare(recentLatencyVarianceMs2, s.recentLatencyVarianceMs2) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(engineClass, modelVersion, sampleCount, Arrays.hashCode(coefficients));
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("StepLatencyModelState[");
    text.append("engineClass=").append(engineClass);
    text.append(", version=").append(modelVersion);
    text.append(", samples=").append(sampleCount);
    text.append(", knee=").append(kneeTokens);
    text.append(", usPerUnit={");
    double[] natural = coefficientsMicrosPerUnit();
    for (int i = 0; i < natural.length; i++) {
      text.append(i == 0 ? "" : ", ").append(StepFeatures.name(i)).append('=').append(String.format("%.4g", natural[i]));
    }
    text.append("}, residualScale=").append(String.format("%.4g", residualScale));
    text.append(", recentMape=").append(String.format("%.4g", recentMape));
    text.append(", recentR2=").append(String.format("%.4g", recentR2()));
    return text.append(']').toString();
  }
}
