package io.synergysched.core.routing.baseline;

import io.synergysched.core.model.audit.StandardizedRidgeRegression;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.LatencyPredictor;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutedPrefixIndex;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * llm-d's online latency predictor, as its {@code predicted-latency-producer} and the
 * {@code llm-d-latency-predictor} sidecar run it, trained only on what the router observes: one
 * per router, shared by the plugins of the {@code llm-d-predicted-latency} profile and the
 * {@code latency-slo-admitter}.
 *
 * <p><b>Features</b> (the sidecar's XGBoost feature set, {@code training_server.py}
 * {@code _prepare_features_with_interaction}, without the pod-type and encoder columns, which are
 * constant here): {@code is_queued}, {@code kv_cache_percentage}, {@code input_token_length},
 * {@code num_request_waiting}, {@code num_request_running}, {@code prefill_tokens_in_flight} (the
 * router's own count of prompt tokens it dispatched to the pod that have no first token yet), and
 * for TTFT also {@code prefix_cache_score} (the share of the prompt's blocks the router sent to the
 * pod before, llm-d's approximate prefix index) and {@code effective_input_tokens} ({@code (1 -
 * prefix score) x input}). The pod metrics are the polled ones: the last step report the router
 * has seen, after the telemetry delay. {@code decode_tokens_in_flight} is always 0 in llm-d's
 * samples and {@code num_tokens_generated} is 0 in its TPOT samples, so neither is a feature here.
 *
 * <p><b>Samples</b> ({@code requestcontrol_hooks.go}, streaming mode): at the first token, TTFT =
 * first token - dispatch, with the metrics seen at dispatch and the in-flight prefill tokens just
 * after it; at completion, TPOT = (completion - dispatch - TTFT) / (output tokens - 1), with the
 * metrics seen last. Each sample goes to the training buckets (queue x KV x prefix buckets, the
 * newest {@code max-samples-per-bucket} each) or, with probability {@code test-ratio}, to the
 * sidecar's test set, which is never trained on.
 *
 * <p><b>Model.</b> A ridge regression on standardized features ({@link StandardizedRidgeRegression})
 * stands for the sidecar's XGBoost regressor with the mean objective (the llm-d chart's
 * {@code LATENCY_OBJECTIVE_TYPE: mean}). It is refitted from the retained samples every
 * {@code retrain-interval-ms} once there are {@code min-samples}; once each of the four
 * queued/not-queued splits of TTFT and TPOT samples holds {@code min-samples-for-ensemble-split},
 * the sidecar's gated ensemble is fitted instead (one model for pods with a queue, one for pods
 * without), and a prediction uses the one that matches the pod. Before the first fit the sidecar's
 * default model answers 10 ms for both. Predictions are clipped at 0.
 *
 * <p><b>Headroom</b> ({@code prediction.go} {@code validatePrediction}): TTFT headroom = TTFT target -
 * predicted TTFT; TPOT headroom = min(the request's TPOT target, the smallest TPOT target of the
 * requests the router has running on the pod) x {@code slo-buffer-factor} - predicted TPOT. A
 * request without a target has target 0, as llm-d without SLO headers.
 *
 * <p>Single-threaded, like the router that owns it. Engine indices are the router's.
 */
public final class LlmdLatencyPredictor implements LatencyPredictor, LlmdLatencyForecast {

  public static final String TYPE = "llmd-latency-predictor";

  private static final Setting<Double> RETRAIN_INTERVAL_MS = Setting.number("retrain-interval-ms", 10_000, 1, 1e9,
      "time between refits of the models, ms (LATENCY_RETRAINING_INTERVAL_SEC, 10 s in llm-d's chart)");
  private static final Setting<Integer> MIN_SAMPLES = Setting.integer("min-samples", 10, 1, 1 << 20,
      "samples a model needs before it is fitted (LATENCY_MIN_SAMPLES_FOR_RETRAIN of a fresh sidecar)");
  private static final Setting<Integer> BUCKET_SIZE = Setting.integer("max-samples-per-bucket", 500, 1, 1 << 20,
      "newest samples kept per (queue, KV, prefix) bucket (LATENCY_MAX_TRAINING_DATA_SIZE_PER_BUCKET)");
  private static final Setting<Integer> ENSEMBLE_SPLIT = Setting.integer("min-samples-for-ensemble-split", 200, 1,
      1 << 20, "samples each queued / not-queued split needs before the gated ensemble is fitted"
          + " (LATENCY_MIN_SAMPLES_FOR_ENSEMBLE_SPLIT)");
  private static final Setting<Double> TEST_RATIO = Setting.number("test-ratio", 0.1, 0, 0.9,
      "share of samples held out as the sidecar's test set, never trained on (LATENCY_TEST_TRAIN_RATIO)");
  private static final Setting<Double> SLO_BUFFER = Setting.number("slo-buffer-factor", 1.0, 0.01, 100,
      "multiplier of the TPOT target in the TPOT headroom (predicted-latency-producer's sloBufferFactor)");
  public static final Settings PARAMETERS = Settings.of(RETRAIN_INTERVAL_MS, MIN_SAMPLES, BUCKET_SIZE,
      ENSEMBLE_SPLIT, TEST_RATIO, SLO_BUFFER, PluginParameters.SEED);

  /** What the sidecar's default model answers before its first fit, ms. */
  static final double DEFAULT_MODEL_MS = 10.0;
  private static final double RIDGE_ALPHA = 1.0;
  private static final int TTFT_FEATURES = 8;
  private static final int TPOT_FEATURES = 6;
  private static final int QUEUE_BUCKETS = 5;
  private static final int CACHE_BUCKETS = 20;
  private static final int PREFIX_BUCKETS = 4;

  /**
   * One latency model (TTFT or TPOT) with its training buckets; a sample is its features followed
   * by the target (ms) in the last slot.
   */
  private static final class Model {
    final int features;
    final Map<Integer, ArrayDeque<double[]>> buckets = new HashMap<>();
    final StandardizedRidgeRegression all;
    final StandardizedRidgeRegression queued;
    final StandardizedRidgeRegression idle;
    boolean gated;

    Model(int features) {
      this.features = features;
      all = new StandardizedRidgeRegression(features, RIDGE_ALPHA);
      queued = new StandardizedRidgeRegression(features, RIDGE_ALPHA);
      idle = new StandardizedRidgeRegression(features, RIDGE_ALPHA);
    }

    void add(double[] sample, int bucket, int capacity) {
      ArrayDeque<double[]> b = buckets.computeIfAbsent(bucket, k -> new ArrayDeque<>());
      if (b.size() == capacity) {
        b.removeFirst();
      }
      b.addLast(sample);
    }

    /** Refits the single model from the retained samples, and sums both splits for {@link #fitGated}. */
    void refit(int minSamples) {
      all.clear();
      queued.clear();
      idle.clear();
      for (ArrayDeque<double[]> b : buckets.values()) {
        for (double[] s : b) {
          double y = s[features];
          all.add(s, y);
          (s[0] > 0 ? queued : idle).add(s, y);
        }
      }
      if (all.samples() >= minSamples) {
        all.fit();
      }
    }

    long splitMin() {
      return Math.min(queued.samples(), idle.samples());
    }

    void fitGated() {
      gated = queued.fit() && idle.fit();
    }

    double predict(double[] x) {
      StandardizedRidgeRegression r = gated ? (x[0] > 0 ? queued : idle) : all;
      if (!r.fitted()) {
        return DEFAULT_MODEL_MS;
      }
      return Math.max(0.0, r.predict(x));
    }
  }

  /** A request the router dispatched and has not seen finish. */
  private static final class InFlight {
    final int engine;
    final double dispatchMs;
    final int promptTokens;
    final double tpotSlo;
    final double[] ttftFeatures;
    final double prefillInFlightAtDispatch;
    double ttftMs = Double.NaN;

    InFlight(int engine, double dispatchMs, int promptTokens, double tpotSlo, double[] ttftFeatures,
        double prefillInFlightAtDispatch) {
      this.engine = engine;
      this.dispatchMs = dispatchMs;
      this.promptTokens = promptTokens;
      this.tpotSlo = tpotSlo;
      this.ttftFeatures = ttftFeatures;
      this.prefillInFlightAtDispatch = prefillInFlightAtDispatch;
    }
  }

  private final double retrainIntervalMs;
  private final int minSamples;
  private final int bucketSize;
  private final int ensembleSplit;
  private final double testRatio;
  private final double sloBuffer;
  private final SplittableRandom random;

  private final Model ttft = new Model(TTFT_FEATURES);
  private final Model tpot = new Model(TPOT_FEATURES);
  private final Map<Long, InFlight> inFlight = new HashMap<>();
  private final RoutedPrefixIndex prefixes = new RoutedPrefixIndex();
  private final double[] ttftX = new double[TTFT_FEATURES];
  private final double[] tpotX = new double[TPOT_FEATURES];

  private int[] waiting = new int[0];
  private int[] running = new int[0];
  private double[] kvShare = new double[0];
  private int[] kvTotal = new int[0];
  private long[] prefillTokensInFlight = new long[0];
  private int[] dispatched = new int[0];
  private List<TreeMap<Double, Integer>> runningTpotSlos = new ArrayList<>();
  private double nextRefitMs = Double.NaN;

  public LlmdLatencyPredictor(PluginContext context) {
    this.retrainIntervalMs = context.get(RETRAIN_INTERVAL_MS);
    this.minSamples = context.get(MIN_SAMPLES);
    this.bucketSize = context.get(BUCKET_SIZE);
    this.ensembleSplit = context.get(ENSEMBLE_SPLIT);
    this.testRatio = context.get(TEST_RATIO);
    this.sloBuffer = context.get(SLO_BUFFER);
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean observesEngines() {
    return true;
  }

  /** {@link LatencyPredictor}'s view (for {@code latency-slo-admitter}): the same prediction. */
  @Override
  public double ttftMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex) {
    return predictedTtftMs(request, engineIndex);
  }

  @Override
  public double tpotMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex) {
    return predictedTpotMs(request, engineIndex);
  }

  @Override
  public double predictedTtftMs(RoutingRequest request, int engineIndex) {
    ensure(engineIndex + 1);
    ttftFeatures(request, engineIndex, prefillTokensInFlight[engineIndex], ttftX);
    return ttft.predict(ttftX);
  }

  @Override
  public double predictedTpotMs(RoutingRequest request, int engineIndex) {
    ensure(engineIndex + 1);
    tpotFeatures(request.promptTokens(), engineIndex, prefillTokensInFlight[engineIndex], tpotX);
    return tpot.predict(tpotX);
  }

  @Override
  public double ttftHeadroomMs(RoutingRequest request, int engineIndex) {
    return target(request.sloTtftMs()) - predictedTtftMs(request, engineIndex);
  }

  @Override
  public double tpotHeadroomMs(RoutingRequest request, int engineIndex) {
    ensure(engineIndex + 1);
    double buffered = target(request.sloTpotMs()) * sloBuffer;
    TreeMap<Double, Integer> slos = runningTpotSlos.get(engineIndex);
    if (!slos.isEmpty() && slos.firstKey() > 0) {
      buffered = Math.min(buffered, slos.firstKey() * sloBuffer);
    }
    return buffered - predictedTpotMs(request, engineIndex);
  }

  @Override
  public int dispatchedRequests(int engineIndex) {
    ensure(engineIndex + 1);
    return dispatched[engineIndex];
  }

  /** KV-cache usage of {@code engineIndex} in the last step report seen, in [0, 1]. */
  public double kvCacheShare(int engineIndex) {
    ensure(engineIndex + 1);
    return kvShare[engineIndex];
  }

  /** Whether a fitted model (not the default one) answers TTFT predictions. */
  public boolean trained() {
    return ttft.all.fitted() || ttft.gated;
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine == Router.SHED) {
      return;
    }
    ensure(engine + 1);
    double now = request.arrivalTimeMs();
    maybeRefit(now);
    InFlight previous = inFlight.remove(request.requestId());
    if (previous != null) {
      forget(request.requestId(), previous);
    }
    double[] x = new double[TTFT_FEATURES + 1];
    long afterDispatch = prefillTokensInFlight[engine] + request.promptTokens();
    ttftFeatures(request, engine, afterDispatch, x);
    prefillTokensInFlight[engine] = afterDispatch;
    dispatched[engine]++;
    double tpotSlo = target(request.sloTpotMs());
    runningTpotSlos.get(engine).merge(tpotSlo, 1, Integer::sum);
    inFlight.put(request.requestId(), new InFlight(engine, now, request.promptTokens(), tpotSlo, x, afterDispatch));
    // The index is sized by the pod's KV cache, known from its first step report.
    if (request.prefixHashes().length > 0 && kvTotal[engine] > 0) {
      prefixes.record(engine, request.prefixHashes(), prefixCapacity(engine));
    }
  }

  @Override
  public void onStepVisible(int engine, StepObservation step) {
    ensure(engine + 1);
    waiting[engine] = step.waiting();
    running[engine] = step.running();
    kvTotal[engine] = step.kvBlocksTotal();
    kvShare[engine] = step.kvBlocksTotal() > 0 ? (double) step.kvBlocksUsed() / step.kvBlocksTotal() : 0.0;
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    InFlight r = inFlight.get(event.requestId());
    if (r == null || r.engine != engine) {
      return;
    }
    maybeRefit(event.timeMs());
    switch (event.type()) {
      case FIRST_TOKEN -> {
        r.ttftMs = event.timeMs() - r.dispatchMs;
        prefillTokensInFlight[engine] -= r.promptTokens;
        if (r.ttftMs > 0) {
          r.ttftFeatures[TTFT_FEATURES] = r.ttftMs;
          train(ttft, r.ttftFeatures, r.ttftFeatures[1], r.ttftFeatures[6]);
        }
      }
      case FINISHED -> {
        inFlight.remove(event.requestId());
        forget(event.requestId(), r);
        if (!Double.isNaN(r.ttftMs) && event.generatedTokens() > 1) {
          double tpotMs = (event.timeMs() - r.dispatchMs - r.ttftMs) / (event.generatedTokens() - 1);
          if (tpotMs > 0) {
            double[] x = new double[TPOT_FEATURES + 1];
            tpotFeatures(r.promptTokens, engine, r.prefillInFlightAtDispatch, x);
            x[TPOT_FEATURES] = tpotMs;
            train(tpot, x, x[1], 0.0);
          }
        }
      }
      case REJECTED -> {
        inFlight.remove(event.requestId());
        forget(event.requestId(), r);
      }
      default -> { }
    }
  }

  private void forget(long requestId, InFlight r) {
    if (Double.isNaN(r.ttftMs)) {
      prefillTokensInFlight[r.engine] -= r.promptTokens;
    }
    dispatched[r.engine]--;
    runningTpotSlos.get(r.engine).computeIfPresent(r.tpotSlo, (k, n) -> n == 1 ? null : n - 1);
  }

  private void train(Model model, double[] sample, double kvPercent, double prefixScore) {
    if (random.nextDouble() < testRatio) {
      return;
    }
    int queue = queueBucket((int) sample[3]);
    int cache = Math.min((int) (Math.max(0, Math.min(1, kvPercent)) * CACHE_BUCKETS), CACHE_BUCKETS - 1);
    int prefix = Math.min((int) (Math.max(0, Math.min(1, prefixScore)) * PREFIX_BUCKETS), PREFIX_BUCKETS - 1);
    model.add(sample, (queue * CACHE_BUCKETS + cache) * PREFIX_BUCKETS + prefix, bucketSize);
  }

  /** The sidecar's queue buckets: 0, 1-2, 3-5, 6-10, 11+ waiting requests. */
  private static int queueBucket(int waiting) {
    if (waiting <= 0) {
      return 0;
    } else if (waiting <= 2) {
      return 1;
    } else if (waiting <= 5) {
      return 2;
    } else if (waiting <= 10) {
      return 3;
    }
    return QUEUE_BUCKETS - 1;
  }

  /** The sidecar's training loop: wake every interval, refit when there are enough samples. */
  private void maybeRefit(double nowMs) {
    if (Double.isNaN(nextRefitMs)) {
      nextRefitMs = nowMs + retrainIntervalMs;
      return;
    }
    if (nowMs < nextRefitMs) {
      return;
    }
    while (nextRefitMs <= nowMs) {
      nextRefitMs += retrainIntervalMs;
    }
    ttft.refit(minSamples);
    tpot.refit(minSamples);
    boolean split = ttft.splitMin() >= ensembleSplit && tpot.splitMin() >= ensembleSplit;
    if (split) {
      ttft.fitGated();
      tpot.fitGated();
    }
    ttft.gated &= split;
    tpot.gated &= split;
  }

  private void ttftFeatures(RoutingRequest request, int engine, double prefillInFlight, double[] x) {
    long[] hashes = request.prefixHashes();
    double prefix = hashes.length == 0 ? 0.0 : (double) prefixes.matchedPrefix(engine, hashes) / hashes.length;
    x[0] = waiting[engine] > 0 ? 1.0 : 0.0;
    x[1] = kvShare[engine];
    x[2] = request.promptTokens();
    x[3] = waiting[engine];
    x[4] = running[engine];
    x[5] = prefillInFlight;
    x[6] = prefix;
    x[7] = (1 - prefix) * request.promptTokens();
  }

  private void tpotFeatures(int promptTokens, int engine, double prefillInFlight, double[] x) {
    x[0] = waiting[engine] > 0 ? 1.0 : 0.0;
    x[1] = kvShare[engine];
    x[2] = promptTokens;
    x[3] = waiting[engine];
    x[4] = running[engine];
    x[5] = prefillInFlight;
  }

  /** llm-d's approximate prefix index holds as many 512-token blocks as the pod's KV cache. */
  private int prefixCapacity(int engine) {
    return Math.max(1, (int) ((long) kvTotal[engine] * 16 / 512));
  }

  private static double target(double slo) {
    return Double.isNaN(slo) ? 0.0 : slo;
  }

  private void ensure(int n) {
    if (waiting.length >= n) {
      return;
    }
    int size = Math.max(n, waiting.length * 2);
    waiting = Arrays.copyOf(waiting, size);
    running = Arrays.copyOf(running, size);
    kvShare = Arrays.copyOf(kvShare, size);
    kvTotal = Arrays.copyOf(kvTotal, size);
    prefillTokensInFlight = Arrays.copyOf(prefillTokensInFlight, size);
    dispatched = Arrays.copyOf(dispatched, size);
    while (runningTpotSlos.size() < size) {
      runningTpotSlos.add(new TreeMap<>());
    }
  }
}
