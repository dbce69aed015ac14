package io.synergysched.core.model.audit;

import io.synergysched.core.telemetry.StepObservation;

/**
 * {@code llmd-linear}: a linear model on the features of llm-d's latency predictor
 * ({@code llm-d-latency-predictor}, {@code training_server.py}, the Bayesian-ridge variant with
 * standardized features), applied to step latency.
 *
 * <p>llm-d predicts a request's TTFT and TPOT from the pod's state, not a step's latency from its
 * composition; the mapping of its features onto one step is:
 *
 * <ul>
 *   <li>{@code is_queued}: {@code waiting > 0}
 *   <li>{@code kv_cache_percentage}: {@code kvBlocksUsed / kvBlocksTotal}
 *   <li>{@code input_token_length}: the step's prefill tokens (the input being processed)
 *   <li>{@code num_request_waiting}, {@code num_request_running}: {@code waiting}, {@code running}
 *   <li>{@code prefill_tokens_in_flight}: prefill tokens plus the cached context behind them (the
 *       prompt tokens of requests in prefill)
 *   <li>{@code decode_tokens_in_flight}: the summed decode context (tokens held by decoding requests)
 * </ul>
 *
 * <p>Features are standardized with the running mean and variance and fitted by ridge regression
 * ({@code alpha = 1}, a stand-in for the evidence-tuned prior of BayesianRidge, which is nearly flat
 * at these sample sizes). No forgetting, as llm-d keeps bounded but unaged sample buckets. llm-d
 * retrains on an interval (30 min by default) after at least 10 samples; here it refits before every
 * prediction once 10 samples exist, which can only help it. Before that it predicts the mean.
 */
public final class LlmdLinearPredictor implements StepLatencyPredictor {

  public static final String NAME = "llmd-linear";
  private static final int D = 7;
  private static final int MIN_SAMPLES = 10;
  private static final double RIDGE_ALPHA = 1.0;

  private final double[] x = new double[D];
  private final double[] sum = new double[D];
  private final double[] cross = new double[D * D];
  private final double[] crossY = new double[D];
  private final double[] weights = new double[D];
  // Sums are taken around the first sample so covariances do not cancel catastrophically.
  private final double[] shift = new double[D];
  private double shiftY;
  private long samples;
  private double sumY;
  private double intercept;
  private boolean stale;
  private boolean fitted;


  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double predictUs(StepObservation step) {
    if (samples < MIN_SAMPLES || (stale ? !fit() : !fitted)) {
      return samples == 0 ? 0.0 : (shiftY + sumY / samples) * 1000.0;
    }
    fill(step);
    double y = intercept;
    for (int i = 0; i < D; i++) {
      y += weights[i] * x[i];
    }
    return Math.max(0.0, y * 1000.0);
  }

  @Override
  public void learn(StepObservation step) {
    if (step.durationUs() <= 0) {
      return;
    }
    fill(step);
    double y = step.durationUs() / 1000.0;
    if (samples == 0) {
      System.arraycopy(x, 0, shift, 0, D);
      shiftY = y;
    }
    y -= shiftY;
    for (int i = 0; i < D; i++) {
      x[i] -= shift[i];
    }
    for (int i = 0; i < D; i++) {
      sum[i] += x[i];
      crossY[i] += x[i] * y;
      for (int j = 0; j < D; j++) {
        cross[i * D + j] += x[i] * x[j];
      }
    }
    sumY += y;
    samples++;
    stale = true;
  }

  private void fill(StepObservation step) {
    x[0] = step.waiting() > 0 ? 1.0 : 0.0;
    x[1] = step.kvBlocksTotal() > 0 ? (double) step.kvBlocksUsed() / step.kvBlocksTotal() : 0.0;
    x[2] = step.prefillTokens();
    x[3] = step.waiting();
    x[4] = step.running();
    x[5] = (double) step.prefillTokens() + step.prefillCachedContext();
    x[6] = step.decodeContextSum();
  }

  private boolean fit() {
    stale = false;
    double n = samples;
    double[] mean = new double[D];
    double[] std = new double[D];
    for (int i = 0; i < D; i++) {
      mean[i] = sum[i] / n;
      double variance = cross[i * D + i] / n - mean[i] * mean[i];
      std[i] = variance > 1e-12 * (1 + mean[i] * mean[i]) ? Math.sqrt(variance) : 0.0;
    }
    double meanY = sumY / n;
    // Ridge in standardized coordinates; a constant feature (std 0) gets no weight.
    double[] m = new double[D * D];
    double[] r = new double[D];
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        double covariance = cross[i * D + j] - n * mean[i] * mean[j];
        m[i * D + j] = std[i] > 0 && std[j] > 0 ? covariance / (std[i] * std[j]) : (i == j ? 1.0 : 0.0);
      }
      m[i * D + i] += RIDGE_ALPHA;
      r[i] = std[i] > 0 ? (crossY[i] - n * mean[i] * meanY) / std[i] : 0.0;
    }
    double[] beta = choleskySolve(m, r);
    if (beta == null) {
      fitted = false;
      return false;
    }
    intercept = shiftY + meanY;
    for (int i = 0; i < D; i++) {
      weights[i] = std[i] > 0 ? beta[i] / std[i] : 0.0;
      intercept -= weights[i] * (shift[i] + mean[i]);
    }
    fitted = true;
    return true;
  }

  private static double[] choleskySolve(double[] m, double[] r) {
    double[] l = new double[D * D];
    for (int i = 0; i < D; i++) {
      for (int j = 0; j <= i; j++) {
        double s = m[i * D + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * D + k] * l[j * D + k];
        }
        if (i == j) {
          if (!(s > 0)) {
            return null;
          }
          l[i * D + i] = Math.sqrt(s);
        } else {
          l[i * D + j] = s / l[j * D + j];
        }
      }
    }
    double[] v = r.clone();
    for (int i = 0; i < D; i++) {
      for (int k = 0; k < i; k++) {
        v[i] -= l[i * D + k] * v[k];
      }
      v[i] /= l[i * D + i];
    }
    for (int i = D - 1; i >= 0; i--) {
      for (int k = i + 1; k < D; k++) {
        v[i] -= l[k * D + i] * v[k];
      }
      v[i] /= l[i * D + i];
    }
    return v;
  }
}
