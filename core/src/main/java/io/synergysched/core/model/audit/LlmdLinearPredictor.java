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
 * ({@code alpha = 1}, a stand-in for the evidence-tuned prior of BayesianRidge, which is nearly
 * flat at these sample sizes; {@link StandardizedRidgeRegression}). No forgetting, as llm-d keeps
 * bounded but unaged sample buckets. llm-d retrains on an interval (30 min by default) after at
 * least 10 samples; here it refits before every prediction once 10 samples exist, which can only
 * help it. Before that it predicts the mean.
 */
public final class LlmdLinearPredictor implements StepLatencyPredictor {

  public static final String NAME = "llmd-linear";
  private static final int D = 7;
  private static final int MIN_SAMPLES = 10;
  private static final double RIDGE_ALPHA = 1.0;

  private final double[] x = new double[D];
  private final StandardizedRidgeRegression regression = new StandardizedRidgeRegression(D, RIDGE_ALPHA);
  private boolean stale;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double predictUs(StepObservation step) {
    long samples = regression.samples();
    if (samples < MIN_SAMPLES || (stale ? !refit() : !regression.fitted())) {
      return samples == 0 ? 0.0 : regression.meanTarget() * 1000.0;
    }
    fill(step);
    return Math.max(0.0, regression.predict(x) * 1000.0);
  }

  @Override
  public void learn(StepObservation step) {
    if (step.durationUs() <= 0) {
      return;
    }
    fill(step);
    regression.add(x, step.durationUs() / 1000.0);
    stale = true;
  }

  private boolean refit() {
    stale = false;
    return regression.fit();
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
}
