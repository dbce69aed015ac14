package io.synergysched.core.model;

import io.synergysched.core.telemetry.StepObservation;
import java.util.Objects;

/**
 * Online structural model of one engine's step latency: {@code latency = theta' x(step) +
 * correction[bin(T)]}, where {@code x} are the {@link StepFeatures} of the batch composition.
 *
 * <p>How it learns, per step ({@link #learn}): the step is first predicted with the current
 * coefficients; its standardized residual sets a Huber weight (a step ten times too slow gets a
 * weight of about {@code c * sigma / 9}, so its pull on the fit is bounded); the decayed, weighted
 * normal equations are updated with stabilized forgetting ({@code A <- lambda A + (1-lambda) F +
 * w x x'}, {@code b <- lambda b + (1-lambda) F theta + w x y}, {@code F} a diagonal floor of a few
 * typical observations), so a coefficient whose feature has not been seen for a long time keeps its
 * value and finite variance instead of drifting; the coefficients are re-solved with non-negativity
 * on every work feature by an active-set solve warm-started from the previous free set. Weights are
 * relative ({@code 1/yhat^2}) by default because latency noise is multiplicative. A per-token-bin
 * additive correction, learned from the structural residual of robustly clipped steps, captures
 * the GEMM kernel-selection steps that no smooth term can (see {@link TokenBins}).
 *
 * <p>Cost: {@link #learn} is a few hundred floating-point operations (one 8x8 Cholesky in the
 * steady state), {@link #predictUs} a dot product; neither allocates.
 *
 * <p>Not thread-safe: one writer (the stream task that owns the engine's key). Readers on other
 * threads use an immutable {@link #snapshot()} or an {@link io.synergysched.core.model.predict.EnginePerformancePredictor}.
 */
public final class StepLatencyModel {

  private static final int D = StepFeatures.DIMENSION;
  private static final double MIN_PREDICTION_MS = 1e-3;
  private static final double MIN_SCALE = 1e-6;
  private static final double MAX_VISITS = 1e9;

  private final StepLatencyModelConfig config;
  private final String engineClass;
  private final boolean hasPrior;
  private final double knee;

  private final double[] theta = new double[D];
  private final double[] information = new double[D * D];
  private final double[] targets = new double[D];
  private final double[] typical = new double[D];
  private final double[] correction = new double[TokenBins.COUNT];
  private final double[] visits = new double[TokenBins.COUNT];

  private final double[] features = new double[D];
  private final double[] covariance = new double[D * D];
  private final NonNegativeNormalSolver solver;

  private boolean unsolved;
  private boolean covarianceStale = true;
  private long modelVersion;
  private long sampleCount;
  private long rejectedCount;
  private double effectiveSamples;
  private double residualScale;
  private double meanLatencyMs;
  private double recentMape;
  private double recentSquaredError;
  private double recentVariance;

  private StepLatencyModel(StepLatencyModelConfig config, String engineClass, boolean hasPrior, double knee) {
    this.config = Objects.requireNonNull(config, "config");
    this.engineClass = Objects.requireNonNull(engineClass, "engineClass");
    this.hasPrior = hasPrior;
    this.knee = knee;
    boolean[] constrained = new boolean[D];
    for (int i = 0; i < D; i++) {
      constrained[i] = StepFeatures.isWork(i);
    }
    this.solver = new NonNegativeNormalSolver(D, constrained);
    this.residualScale = config.initialResidualScale();
  }

  /** A model that knows nothing: it needs {@code config.warmSamples()} steps before robust weighting. */
  public static StepLatencyModel cold(StepLatencyModelConfig config) {
    return new StepLatencyModel(config, "", false, config.kneeTokens());
  }

  /** A model that starts from a class prior: accurate from the first step, robust from the first step. */
  public static StepLatencyModel fromPrior(StepLatencyPrior prior, StepLatencyModelConfig config) {
    StepLatencyModel model = new StepLatencyModel(config, prior.engineClass(), true, prior.state().kneeTokens());
    model.restore(prior.state());
    model.modelVersion = 0;
    model.sampleCount = 0;
    model.rejectedCount = 0;
    return model;
  }

  /** Resumes exactly where {@code state} was taken (a restored state store, a replay). */
  public static StepLatencyModel fromState(StepLatencyModelState state, StepLatencyModelConfig config) {
    boolean fromPrior = !state.engineClass().isEmpty();
    StepLatencyModel model = new StepLatencyModel(config, state.engineClass(), fromPrior, state.kneeTokens());
    model.restore(state);
    return model;
  }

  private void restore(StepLatencyModelState state) {
    System.arraycopy(state.coefficients(), 0, theta, 0, D);
    System.arraycopy(state.information(), 0, information, 0, D * D);
    System.arraycopy(state.weightedTargets(), 0, targets, 0, D);
    System.arraycopy(state.typicalInformation(), 0, typical, 0, D);
    System.arraycopy(state.correctionMs(), 0, correction, 0, TokenBins.COUNT);
    System.arraycopy(state.correctionVisits(), 0, visits, 0, TokenBins.COUNT);
    modelVersion = state.modelVersion();
    sampleCount = state.sampleCount();
    rejectedCount = state.rejectedCount();
    effectiveSamples = state.effectiveSamples();
    residualScale = state.residualScale();
    meanLatencyMs = state.meanLatencyMs();
    recentMape = state.recentMape();
    recentSquaredError = state.recentSquaredErrorMs2();
    recentVariance = state.recentLatencyVarianceMs2();
    unsolved = false;
    covarianceStale = true;
  }

  /**
   * Learns from one measured step. Implausible steps (see {@link StepFeatures#isPlausible}) are
   * counted and ignored. Returns whether the step was learned. Never throws for telemetry content;
   * {@code step} must not be null.
   */
  public boolean learn(StepObservation step) {
    if (!StepFeatures.isPlausible(step)) {
      rejectedCount++;
      return false;
    }
    StepFeatures.fill(features, step, knee);
    learnScaled(features, step.durationUs() / 1000.0, TokenBins.of(step.totalTokens()));
    return true;
  }

  private void learnScaled(double[] x, double y, int bin) {
    ensureSolved();
    double structural = dot(theta, x);
    double predicted = Math.max(structural + shrunkCorrection(bin), MIN_PREDICTION_MS);
    boolean warm = isWarm();
    if (warm) {
      updateQuality(y, predicted);
    }
    updateMean(y);

    double base = config.relativeWeighting() ? (warm ? Math.max(predicted, floorMs()) : y) : 1.0;
    double error = (y - predicted) / base;
    double huber = 1.0;
    if (warm) {
      double standardized = Math.abs(error) / residualScale;
      if (standardized > config.huberThreshold()) {
        huber = config.huberThreshold() / standardized;
      }
      double rate = config.scaleAdaptationRate();
      double capped = Math.min(error * error, 9.0 * residualScale * residualScale);
      residualScale = Math.max(Math.sqrt((1.0 - rate) * residualScale * residualScale + rate * capped), MIN_SCALE);
    }
    double weight = huber / (base * base);

    double lambda = config.forgettingFactor();
    if (lambda < 1.0) {
      for (int k = 0; k < D * D; k++) {
        information[k] *= lambda;
      }
      double floorWeight = (1.0 - lambda) * config.floorObservations();
      for (int i = 0; i < D; i++) {
        targets[i] *= lambda;
        double floor = floorWeight * typical[i];
        information[i * D + i] += floor;
        targets[i] += floor * theta[i];
      }
    }
    for (int i = 0; i < D; i++) {
      double xi = x[i];
      if (xi == 0.0) {
        continue;
      }
      double wxi = weight * xi;
      int row = i * D;
      for (int j = 0; j < D; j++) {
        information[row + j] += wxi * x[j];
      }
      targets[i] += wxi * y;
      double info = wxi * xi;
      typical[i] = typical[i] == 0.0 ? info : typical[i] + 0.01 * (info - typical[i]);
    }

    if (config.correctionEnabled() && warm) {
      double v = visits[bin];
      double rate = Math.max(1.0 / (v + 1.0), config.correctionMinRate());
      double deviation = (y - structural) - correction[bin];
      double limit = config.huberThreshold() * residualScale * base;
      deviation = Math.max(-limit, Math.min(limit, deviation));
      // the Huber weight again: a straggler in a rarely visited bin must not move that bin either
      correction[bin] += rate * huber * deviation;
      visits[bin] = Math.min(v + 1.0, MAX_VISITS);
    }

    effectiveSamples = lambda * effectiveSamples + huber;
    sampleCount++;
    modelVersion++;
    unsolved = true;
    covarianceStale = true;
  }

  private void updateQuality(double y, double predicted) {
    double rate = config.scaleAdaptationRate();
    double error = y - predicted;
    recentMape += rate * (Math.abs(error) / y - recentMape);
    recentSquaredError += rate * (error * error - recentSquaredError);
    double deviation = y - meanLatencyMs;
    recentVariance += rate * (deviation * deviation - recentVariance);
  }

  private void updateMean(double y) {
    meanLatencyMs = meanLatencyMs == 0.0 ? y : meanLatencyMs + config.scaleAdaptationRate() * (y - meanLatencyMs);
  }

  private double floorMs() {
    return Math.max(0.05 * meanLatencyMs, MIN_PREDICTION_MS);
  }

  private double shrunkCorrection(int bin) {
    if (!config.correctionEnabled()) {
      return 0.0;
    }
    double v = visits[bin];
    return v == 0.0 ? 0.0 : correction[bin] * v / (v + config.correctionShrinkVisits());
  }

  private void ensureSolved() {
    if (unsolved) {
      solver.solve(information, targets, theta);
      unsolved = false;
    }
  }

  /** Whether robust weighting is on: the model has a prior or has learned {@code warmSamples} steps. */
  public boolean isWarm() {
    return hasPrior || sampleCount >= config.warmSamples();
  }

  /** Predicted duration of an observed step's composition, microseconds, &gt; 0. */
  public double predictUs(StepObservation step) {
    StepFeatures.fill(features, step, knee);
    return predictScaledMs(features, step.totalTokens()) * 1000.0;
  }

  /**
   * Predicted duration of a hypothetical step, microseconds, &gt; 0. Arguments as in
   * {@link StepFeatures#fill(double[], double, double, double, double, double, double, double, double)}.
   */
  public double predictUs(
      int prefillTokens,
      int prefillChunks,
      long prefillChunkSqSum,
      long prefillCachedContext,
      long prefillChunkContextProduct,
      int decodeSeqs,
      long decodeContextSum) {
    StepFeatures.fill(
        features,
        prefillTokens,
        prefillChunks,
        prefillChunkSqSum,
        prefillCachedContext,
        prefillChunkContextProduct,
        decodeSeqs,
        decodeContextSum,
        knee);
    return predictScaledMs(features, (long) prefillTokens + decodeSeqs) * 1000.0;
  }

  private double predictScaledMs(double[] x, long totalTokens) {
    ensureSolved();
    return Math.max(dot(theta, x) + shrunkCorrection(TokenBins.of(totalTokens)), MIN_PREDICTION_MS);
  }

  /**
   * Prediction of an observed step's duration with a two-sided interval at {@code confidence}
   * (in (0,1)): residual variance plus parameter variance {@code x' A^-1 x}, scaled by the robust
   * residual scale. The interval is Gaussian in the (relative) residual and approximate under
   * forgetting and active constraints. Allocates the result only.
   */
  public LatencyPrediction predictWithInterval(StepObservation step, double confidence) {
    StepFeatures.fill(features, step, knee);
    double meanMs = predictScaledMs(features, step.totalTokens());
    if (covarianceStale) {
      solver.invert(information, covariance);
      covarianceStale = false;
    }
    double stdMs = predictiveStdMs(features, meanMs, covariance, residualScale, config.relativeWeighting(), floorMs());
    return LatencyPrediction.of(meanMs, stdMs, confidence);
  }

  /**
   * Predictive standard deviation, ms, of a step with scaled features {@code x} and mean
   * {@code meanMs}: {@code scale * sqrt(base^2 + x' covariance x)}, {@code base} the mean (floored)
   * for relative weighting, 1 otherwise; {@code covariance} is the inverse information matrix.
   * Pure function, thread-safe, allocation-free.
   */
  public static double predictiveStdMs(
      double[] x, double meanMs, double[] covariance, double scale, boolean relative, double floorMs) {
    double quadratic = 0.0;
    for (int i = 0; i < D; i++) {
      double row = 0.0;
      for (int j = 0; j < D; j++) {
        row += covariance[i * D + j] * x[j];
      }
      quadratic += x[i] * row;
    }
    double base = relative ? Math.max(meanMs, floorMs) : 1.0;
    return scale * Math.sqrt(base * base + Math.max(quadratic, 0.0));
  }

  /**
   * A model that keeps this model's estimate (coefficients, residual scale, corrections) but only
   * {@code keepObservations} observations' worth of its information, and weights robustly from its
   * first step: the second pass of the offline prior fit, whose robust weights come from a good
   * estimate instead of a cold one.
   */
  StepLatencyModel restartedFromEstimate(double keepObservations) {
    ensureSolved();
    StepLatencyModel next = new StepLatencyModel(config, engineClass, true, knee);
    next.restore(snapshot());
    next.scaleInformation(keepObservations);
    next.modelVersion = 0;
    next.sampleCount = 0;
    next.rejectedCount = 0;
    java.util.Arrays.fill(next.visits, 0.0);
    return next;
  }

  /**
   * This model's estimate as a prior worth {@code pseudoObservations} steps, for engines of
   * class {@code priorClass} (a router seeds its own models of new engines with it).
   */
  public StepLatencyModelState priorState(String priorClass, double pseudoObservations) {
    ensureSolved();
    StepLatencyModel prior = new StepLatencyModel(config, priorClass, true, knee);
    prior.restore(snapshot());
    prior.scaleInformation(pseudoObservations);
    double cap = 1.0 / config.correctionMinRate();
    for (int bin = 0; bin < TokenBins.COUNT; bin++) {
      prior.visits[bin] = Math.min(prior.visits[bin], cap);
    }
    prior.modelVersion = 0;
    prior.sampleCount = 0;
    prior.rejectedCount = 0;
    return new StepLatencyModelState(
        StepLatencyModelState.FORMAT_VERSION,
        priorClass,
        0,
        0,
        0,
        prior.effectiveSamples,
        knee,
        prior.theta,
        prior.information,
        prior.targets,
        prior.typical,
        prior.correction,
        prior.visits,
        prior.residualScale,
        prior.meanLatencyMs,
        prior.recentMape,
        prior.recentSquaredError,
        prior.recentVariance);
  }

  /** Rescales the information to {@code observations} steps' worth, keeping the solution. */
  private void scaleInformation(double observations) {
    double factor = effectiveSamples > 0 ? observations / effectiveSamples : 0.0;
    for (int k = 0; k < D * D; k++) {
      information[k] *= factor;
    }
    for (int i = 0; i < D; i++) {
      double sum = 0.0;
      for (int j = 0; j < D; j++) {
        sum += information[i * D + j] * theta[j];
      }
      targets[i] = sum;
    }
    effectiveSamples = observations;
    covarianceStale = true;
  }

  /** Prediction of the structural part alone (no bin correction), ms. */
  double structuralMs(StepObservation step) {
    StepFeatures.fill(features, step, knee);
    ensureSolved();
    return dot(theta, features);
  }

  /** An immutable copy of the full state, for state stores and snapshots. Allocates. */
  public StepLatencyModelState snapshot() {
    ensureSolved();
    return new StepLatencyModelState(
        StepLatencyModelState.FORMAT_VERSION,
        engineClass,
        modelVersion,
        sampleCount,
        rejectedCount,
        effectiveSamples,
        knee,
        theta,
        information,
        targets,
        typical,
        correction,
        visits,
        residualScale,
        meanLatencyMs,
        recentMape,
        recentSquaredError,
        recentVariance);
  }

  public StepLatencyModelConfig config() {
    return config;
  }

  public long sampleCount() {
    return sampleCount;
  }

  public long rejectedCount() {
    return rejectedCount;
  }

  public long modelVersion() {
    return modelVersion;
  }

  public double kneeTokens() {
    return knee;
  }

  public double residualScale() {
    return residualScale;
  }

  /** Current coefficient {@code index}, ms per scaled unit (see {@link StepFeatures#scale}). */
  public double coefficient(int index) {
    ensureSolved();
    return theta[index];
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0.0;
    for (int i = 0; i < D; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
