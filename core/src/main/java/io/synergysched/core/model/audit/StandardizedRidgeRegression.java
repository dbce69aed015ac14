package io.synergysched.core.model.audit;

/**
 * Ridge regression on standardized features, from running sums: the stand-in for the Bayesian
 * ridge (and, in routing, the XGBoost regressor) that llm-d's latency predictor fits
 * ({@code llm-d-latency-predictor}, {@code training_server.py}: a {@code StandardScaler} then the
 * regressor). Shared by the audit's {@code llmd-linear} step model and the router-side llm-d
 * latency predictor.
 *
 * <p>Samples are accumulated as sums (taken around the first sample, so covariances do not cancel
 * catastrophically); {@link #fit} solves the ridge system in standardized coordinates, where a
 * constant feature (standard deviation 0) gets no weight. Not thread-safe.
 */
public final class StandardizedRidgeRegression {

  private final int d;
  private final double alpha;
  private final double[] sum;
  private final double[] cross;
  private final double[] crossY;
  private final double[] weights;
  private final double[] shift;
  private final double[] centered;
  private double shiftY;
  private long samples;
  private double sumY;
  private double intercept;
  private boolean fitted;

  /**
   * @param dimension number of features, &gt; 0
   * @param alpha ridge penalty in standardized coordinates, &gt;= 0
   */
  public StandardizedRidgeRegression(int dimension, double alpha) {
    if (dimension <= 0 || !(alpha >= 0)) {
      throw new IllegalArgumentException("dimension must be > 0 and alpha >= 0, were " + dimension + ", " + alpha);
    }
    this.d = dimension;
    this.alpha = alpha;
    sum = new double[d];
    cross = new double[d * d];
    crossY = new double[d];
    weights = new double[d];
    shift = new double[d];
    centered = new double[d];
  }

  /** Number of features. */
  public int dimension() {
    return d;
  }

  /** Samples added so far. */
  public long samples() {
    return samples;
  }

  /** Mean target of the samples added, 0 before any. */
  public double meanTarget() {
    return samples == 0 ? 0.0 : shiftY + sumY / samples;
  }

  /** Whether the last {@link #fit} succeeded (false before any). */
  public boolean fitted() {
    return fitted;
  }

  /** Adds one sample: features {@code x} (length {@link #dimension()}, not modified) and target {@code y}. */
  public void add(double[] x, double y) {
    if (samples == 0) {
      System.arraycopy(x, 0, shift, 0, d);
      shiftY = y;
    }
    double yc = y - shiftY;
    for (int i = 0; i < d; i++) {
      centered[i] = x[i] - shift[i];
    }
    for (int i = 0; i < d; i++) {
      sum[i] += centered[i];
      crossY[i] += centered[i] * yc;
      for (int j = 0; j < d; j++) {
        cross[i * d + j] += centered[i] * centered[j];
      }
    }
    sumY += yc;
    samples++;
  }

  /** Forgets every sample and the fit. */
  public void clear() {
    java.util.Arrays.fill(sum, 0);
    java.util.Arrays.fill(cross, 0);
    java.util.Arrays.fill(crossY, 0);
    sumY = 0;
    samples = 0;
    fitted = false;
  }

  /**
   * Fits the weights to the samples added so far.
   *
   * @return whether the system was solvable (false with no samples); on false the previous
   *     weights are kept but {@link #fitted()} is false
   */
  public boolean fit() {
    if (samples == 0) {
      fitted = false;
      return false;
    }
    double n = samples;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int i = 0; i < d; i++) {
      mean[i] = sum[i] / n;
      double variance = cross[i * d + i] / n - mean[i] * mean[i];
      std[i] = variance > 1e-12 * (1 + mean[i] * mean[i]) ? Math.sqrt(variance) : 0.0;
    }
    double meanY = sumY / n;
    double[] m = new double[d * d];
    double[] r = new double[d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double covariance = cross[i * d + j] - n * mean[i] * mean[j];
        m[i * d + j] = std[i] > 0 && std[j] > 0 ? covariance / (std[i] * std[j]) : (i == j ? 1.0 : 0.0);
      }
      m[i * d + i] += alpha;
      r[i] = std[i] > 0 ? (crossY[i] - n * mean[i] * meanY) / std[i] : 0.0;
    }
    double[] beta = choleskySolve(m, r);
    if (beta == null) {
      fitted = false;
      return false;
    }
    intercept = shiftY + meanY;
    for (int i = 0; i < d; i++) {
      weights[i] = std[i] > 0 ? beta[i] / std[i] : 0.0;
      intercept -= weights[i] * (shift[i] + mean[i]);
    }
    fitted = true;
    return true;
  }

  /** The fitted linear prediction at {@code x}, unclipped; meaningful only while {@link #fitted()}. */
  public double predict(double[] x) {
    double y = intercept;
    for (int i = 0; i < d; i++) {
      y += weights[i] * x[i];
    }
    return y;
  }

  private double[] choleskySolve(double[] m, double[] r) {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = m[i * d + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(s > 0)) {
            return null;
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    double[] v = r.clone();
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < i; k++) {
        v[i] -= l[i * d + k] * v[k];
      }
      v[i] /= l[i * d + i];
    }
    for (int i = d - 1; i >= 0; i--) {
      for (int k = i + 1; k < d; k++) {
        v[i] -= l[k * d + i] * v[k];
      }
      v[i] /= l[i * d + i];
    }
    return v;
  }
}
