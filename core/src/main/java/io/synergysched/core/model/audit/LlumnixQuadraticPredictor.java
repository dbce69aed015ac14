package io.synergysched.core.model.audit;

import io.synergysched.core.telemetry.StepObservation;

/**
 * {@code llumnix-quadratic}: Llumnix's online step-duration predictor, reproduced from its scheduler
 * ({@code pkg/scheduler/predictor}, {@code QuadraticPredictor}; samples added in the CMS read client).
 *
 * <p>Faithful to the original: one sample per step with scheduled prefill tokens {@code x > 0} and
 * positive duration (decode-only steps are not samples); nothing is forgotten; no fit before
 * {@code warmupSamples} samples (Llumnix's default is 20); the fit is least squares of
 * {@code y = a x^2 + b x + c}, rejected when the design's condition number exceeds 1e8, then
 * {@code y = b x + c}, rejected above 1e12, then the mean. A prediction is {@code a x^2 + b x + c}
 * at the step's prefill tokens.
 *
 * <p>Differences, all neutral to accuracy: Llumnix keeps every sample and factorises the design
 * with an SVD on each refit; here the same least-squares solution and condition number come from an
 * incrementally updated QR factor (Givens rotations) and a Jacobi SVD of its 3x3 triangle, so memory
 * is constant. Before the first fit, where Llumnix skips the prediction, this returns the mean
 * duration seen so far (0 before any sample) so the audit can score every step.
 */
public final class LlumnixQuadraticPredictor implements StepLatencyPredictor {

  public static final String NAME = "llumnix-quadratic";
  public static final int DEFAULT_WARMUP_SAMPLES = 20;
  private static final double QUADRATIC_CONDITION_LIMIT = 1e8;
  private static final double LINEAR_CONDITION_LIMIT = 1e12;

  private final int warmupSamples;
  private final double[] quadraticR = new double[9];
  private final double[] quadraticQty = new double[3];
  private final double[] linearR = new double[4];
  private final double[] linearQty = new double[2];
  private final double[] row = new double[3];
  private final double[] scratch = new double[9];
  private long samples;
  private double sumY;
  private boolean stale;
  private boolean fitted;
  private double a;
  private double b;
  private double c;

  public LlumnixQuadraticPredictor() {
    this(DEFAULT_WARMUP_SAMPLES);
  }

  public LlumnixQuadraticPredictor(int warmupSamples) {
    if (warmupSamples < 1) {
      throw new IllegalArgumentException("warmupSamples must be >= 1, was " + warmupSamples);
    }
    this.warmupSamples = warmupSamples;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double predictUs(StepObservation step) {
    if (stale && samples >= warmupSamples) {
      fit();
    }
    if (!fitted) {
      return samples == 0 ? 0.0 : sumY / samples * 1000.0;
    }
    double x = step.prefillTokens();
    return Math.max(0.0, (a * x * x + b * x + c) * 1000.0);
  }

  @Override
  public void learn(StepObservation step) {
    if (step.prefillTokens() <= 0 || step.durationUs() <= 0) {
      return;
    }
    double x = step.prefillTokens();
    double y = step.durationUs() / 1000.0;
    row[0] = x * x;
    row[1] = x;
    row[2] = 1.0;
    givens(quadraticR, quadraticQty, 3, row, y);
    row[0] = x;
    row[1] = 1.0;
    givens(linearR, linearQty, 2, row, y);
    samples++;
    sumY += y;
    stale = true;
  }

  private void fit() {
    stale = false;
    fitted = true;
    if (samples >= 3 && conditionNumber(quadraticR, 3) <= QUADRATIC_CONDITION_LIMIT) {
      double[] t = backSubstitute(quadraticR, quadraticQty, 3);
      a = t[0];
      b = t[1];
      c = t[2];
      return;
    }
    if (samples >= 2 && conditionNumber(linearR, 2) <= LINEAR_CONDITION_LIMIT) {
      double[] t = backSubstitute(linearR, linearQty, 2);
      a = 0.0;
      b = t[0];
      c = t[1];
      return;
    }
    a = 0.0;
    b = 0.0;
    c = sumY / samples;
  }

  /** Folds one row into the upper-triangular factor {@code r} (k x k) and {@code Q'y}. */
  private static void givens(double[] r, double[] qty, int k, double[] newRow, double y) {
    double target = y;
    for (int j = 0; j < k; j++) {
      double pivot = r[j * k + j];
      double incoming = newRow[j];
      if (incoming == 0.0) {
        continue;
      }
      double radius = Math.hypot(pivot, incoming);
      double cos = pivot / radius;
      double sin = incoming / radius;
      for (int m = j; m < k; m++) {
        double top = r[j * k + m];
        double bottom = newRow[m];
        r[j * k + m] = cos * top + sin * bottom;
        newRow[m] = -sin * top + cos * bottom;
      }
      double top = qty[j];
      qty[j] = cos * top + sin * target;
      target = -sin * top + cos * target;
    }
  }

  private double conditionNumber(double[] r, int k) {
    System.arraycopy(r, 0, scratch, 0, k * k);
    for (int sweep = 0; sweep < 60; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < k - 1; p++) {
        for (int q = p + 1; q < k; q++) {
          double alpha = 0;
          double beta = 0;
          double gamma = 0;
          for (int i = 0; i < k; i++) {
            double mp = scratch[i * k + p];
            double mq = scratch[i * k + q];
            alpha += mp * mp;
            beta += mq * mq;
            gamma += mp * mq;
          }
          if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0.0) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0.0) {
            t = 1.0;
          }
          double cos = 1 / Math.sqrt(1 + t * t);
          double sin = cos * t;
          for (int i = 0; i < k; i++) {
            double mp = scratch[i * k + p];
            double mq = scratch[i * k + q];
            scratch[i * k + p] = cos * mp - sin * mq;
            scratch[i * k + q] = sin * mp + cos * mq;
          }
        }
      }
      if (!rotated) {
        break;
      }
    }
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    for (int col = 0; col < k; col++) {
      double norm = 0;
      for (int i = 0; i < k; i++) {
        norm += scratch[i * k + col] * scratch[i * k + col];
      }
      norm = Math.sqrt(norm);
      max = Math.max(max, norm);
      min = Math.min(min, norm);
    }
    return min == 0.0 || !Double.isFinite(min) ? Double.POSITIVE_INFINITY : max / min;
  }

  private static double[] backSubstitute(double[] r, double[] qty, int k) {
    double[] t = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double sum = qty[i];
      for (int m = i + 1; m < k; m++) {
        sum -= r[i * k + m] * t[m];
      }
      t[i] = sum / r[i * k + i];
    }
    return t;
  }
}
