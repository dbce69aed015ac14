package io.synergysched.core.model.predict;

import io.synergysched.core.model.LatencyPrediction;
import io.synergysched.core.model.StepFeatures;
import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.TokenBins;
import java.util.List;
import java.util.Objects;

/**
 * Predictions PRISM and LENS need, from one engine's model snapshot: the latency of a hypothetical
 * step (with an interval), prefill capacity under a latency target, queue drain time, and the TTFT
 * and TPOT of a request admitted behind the queue.
 *
 * <p>Immutable and thread-safe: built once per published model version and shared by any number of
 * routing threads. Step predictions and {@link #prefillCapacity} do not allocate; drains allocate
 * nothing per step (their cost is one dot product per simulated step, capped at
 * {@link #MAX_SIMULATED_STEPS}).
 *
 * <p>Units: tokens, sequences, microseconds. The engine model is vLLM/Sarathi chunked prefill:
 * every step runs all decodes (one token each) and fills the rest of the token budget with prefill
 * chunks in queue order, several requests per step if they fit; a request whose prefill completes
 * produces its first token at the end of that step and decodes from the next.
 */
public final class EnginePerformancePredictor {

  /** Drains longer than this many steps are reported as infinite. */
  public static final int MAX_SIMULATED_STEPS = 1_000_000;

  private static final int D = StepFeatures.DIMENSION;

  private final double knee;
  private final double[] theta;
  private final double[] correctionMs;
  private final double[] inverseInformation;
  private final double residualScale;
  private final boolean relative;
  private final double floorMs;
  private final long modelVersion;

  private EnginePerformancePredictor(StepLatencyModelState state, StepLatencyModelConfig config) {
    this.knee = state.kneeTokens();
    this.theta = state.coefficients();
    double[] offsets = state.correctionMs();
    double[] visits = state.correctionVisits();
    this.correctionMs = new double[TokenBins.COUNT];
    if (config.correctionEnabled()) {
      for (int bin = 0; bin < TokenBins.COUNT; bin++) {
        double v = visits[bin];
        correctionMs[bin] = v == 0 ? 0.0 : offsets[bin] * v / (v + config.correctionShrinkVisits());
      }
    }
    this.inverseInformation = state.inverseInformation();
    this.residualScale = state.residualScale();
    this.relative = config.relativeWeighting();
    this.floorMs = Math.max(0.05 * state.meanLatencyMs(), 1e-3);
    this.modelVersion = state.modelVersion();
  }

  /** A predictor for the model {@code state}, learned with {@code config}. Never null. */
  public static EnginePerformancePredictor of(StepLatencyModelState state, StepLatencyModelConfig config) {
    return new EnginePerformancePredictor(Objects.requireNonNull(state, "state"), Objects.requireNonNull(config, "config"));
  }

  /** Version of the model snapshot behind these predictions, for routing-decision records. */
  public long modelVersion() {
    return modelVersion;
  }

  /**
   * Predicted latency of a step, microseconds, &gt; 0. Arguments as the fields of
   * {@link io.synergysched.core.telemetry.StepObservation}; doubles so expected (fractional) loads
   * can be asked about. A step with no tokens at all is predicted as an empty step, not zero.
   */
  public double predictStepUs(
      double prefillTokens,
      double prefillChunks,
      double prefillChunkSqSum,
      double prefillCachedContext,
      double prefillChunkContextProduct,
      double decodeSeqs,
      double decodeContextSum) {
    double tokens = prefillTokens + decodeSeqs;
    double t = knee;
    double sum = theta[StepFeatures.CONSTANT]
        + theta[StepFeatures.TOKENS] * tokens / StepFeatures.scale(StepFeatures.TOKENS)
        + theta[StepFeatures.TOKENS_ABOVE_KNEE] * Math.max(0.0, tokens - t) / StepFeatures.scale(StepFeatures.TOKENS_ABOVE_KNEE)
        + theta[StepFeatures.PREFILL_CHUNK_SQUARES] * prefillChunkSqSum / StepFeatures.scale(StepFeatures.PREFILL_CHUNK_SQUARES)
        + theta[StepFeatures.PREFILL_CHUNK_CONTEXT] * prefillChunkContextProduct / StepFeatures.scale(StepFeatures.PREFILL_CHUNK_CONTEXT)
        + theta[StepFeatures.PREFILL_CACHED_CONTEXT] * prefillCachedContext / StepFeatures.scale(StepFeatures.PREFILL_CACHED_CONTEXT)
        + theta[StepFeatures.DECODE_CONTEXT] * decodeContextSum / StepFeatures.scale(StepFeatures.DECODE_CONTEXT)
        + theta[StepFeatures.SEQUENCES] * (prefillChunks + decodeSeqs) / StepFeatures.scale(StepFeatures.SEQUENCES)
        + correctionMs[TokenBins.of((long) Math.ceil(tokens))];
    return Math.max(sum, 1e-3) * 1000.0;
  }

  /**
   * {@link #predictStepUs} with a two-sided prediction interval at {@code confidence} in (0, 1),
   * from the robust residual scale and the parameter covariance. Allocates the result.
   */
  public LatencyPrediction predictStep(
      double prefillTokens,
      double prefillChunks,
      double prefillChunkSqSum,
      double prefillCachedContext,
      double prefillChunkContextProduct,
      double decodeSeqs,
      double decodeContextSum,
      double confidence) {
    double meanMs = predictStepUs(
            prefillTokens, prefillChunks, prefillChunkSqSum, prefillCachedContext, prefillChunkContextProduct,
            decodeSeqs, decodeContextSum)
        / 1000.0;
    double[] x = new double[D];
    StepFeatures.fill(
        x, prefillTokens, prefillChunks, prefillChunkSqSum, prefillCachedContext, prefillChunkContextProduct,
        decodeSeqs, decodeContextSum, knee);
    double stdMs = StepLatencyModel.predictiveStdMs(x, meanMs, inverseInformation, residualScale, relative, floorMs);
    return LatencyPrediction.of(meanMs, stdMs, confidence);
  }

  /** Latency of a step with {@code decodes} decodes and one prefill chunk of {@code p} tokens. */
  private double chunkStepUs(long p, int decodes, double decodeContextSum, long cachedBehindChunk) {
    if (p <= 0) {
      return predictStepUs(0, 0, 0, 0, 0, decodes, decodeContextSum);
    }
    return predictStepUs(
        p, 1, (double) p * p, cachedBehindChunk, (double) p * cachedBehindChunk, decodes, decodeContextSum);
  }

  /**
   * The most prefill tokens one step can take, as a single chunk with {@code cachedBehindChunk}
   * tokens of context behind it, next to {@code decodes} decodes of summed context
   * {@code decodeContextSum}, such that every step with that many prefill tokens or fewer is
   * predicted to take at most {@code targetUs}. A single chunk is the conservative shape: splitting
   * the same tokens over several requests has smaller attention terms.
   *
   * <p>Exact for the model: the structural part is monotone (non-negative work coefficients), the
   * bin correction constant within a bin, so the search checks each token bin's upper edge and
   * bisects inside the first bin that breaks the target. At most {@link TokenBins#COUNT} plus 40
   * step predictions; allocation-free.
   *
   * @return tokens in [0, maxTokens]; 0 also when the decodes alone exceed the target
   */
  public int prefillCapacity(
      double targetUs, int decodes, double decodeContextSum, long cachedBehindChunk, int maxTokens) {
    if (decodes < 0 || decodeContextSum < 0 || cachedBehindChunk < 0 || maxTokens < 0) {
      throw new IllegalArgumentException("decodes, contexts and maxTokens must be >= 0");
    }
    if (decodes > 0 && chunkStepUs(0, decodes, decodeContextSum, cachedBehindChunk) > targetUs) {
      return 0;
    }
    long lo = 1;
    while (lo <= maxTokens) {
      int bin = TokenBins.of(decodes + lo);
      long edge = TokenBins.upperEdge(bin);
      long hi = edge == Long.MAX_VALUE ? maxTokens : Math.min(maxTokens, edge - decodes);
      if (chunkStepUs(hi, decodes, decodeContextSum, cachedBehindChunk) <= targetUs) {
        lo = hi + 1;
        continue;
      }
      if (chunkStepUs(lo, decodes, decodeContextSum, cachedBehindChunk) > targetUs) {
        return (int) (lo - 1);
      }
      long good = lo;
      long bad = hi;
      while (bad - good > 1) {
        long mid = (good + bad) >>> 1;
        if (chunkStepUs(mid, decodes, decodeContextSum, cachedBehindChunk) <= targetUs) {
          good = mid;
        } else {
          bad = mid;
        }
      }
      return (int) good;
    }
    return maxTokens;
  }

  /** Predicted time to finish all prefill work in {@code load}, microseconds (infinite if it cannot). */
  public double drainUs(EngineLoad load) {
    return simulate(load, 0, 0).elapsedUs;
  }

  /**
   * Forecast for a request of {@code promptTokens} tokens, {@code cachedPromptTokens} of them
   * already in the KV cache (prefix hit, &lt; promptTokens), expecting {@code expectedOutputTokens}
   * (&gt;= 1) output tokens, placed behind {@code load}'s queue.
   */
  public AdmissionForecast admit(EngineLoad load, int promptTokens, int cachedPromptTokens, int expectedOutputTokens) {
    if (promptTokens <= 0 || cachedPromptTokens < 0 || cachedPromptTokens >= promptTokens || expectedOutputTokens < 1) {
      throw new IllegalArgumentException(
          "need promptTokens > cachedPromptTokens >= 0 and expectedOutputTokens >= 1, got "
              + promptTokens + ", " + cachedPromptTokens + ", " + expectedOutputTokens);
    }
    Drain ahead = simulate(load, 0, 0);
    Drain withRequest = simulate(load, promptTokens - cachedPromptTokens, cachedPromptTokens);
    double decodes = withRequest.decodesAfter;
    // Decode-only steps are linear in the summed context at fixed batch size, so the mean step over
    // the request's decode is the step at the mean context.
    double meanContext = withRequest.decodeContextAfter + decodes * (expectedOutputTokens - 1) / 2.0;
    double tpot = predictStepUs(0, 0, 0, 0, 0, decodes, meanContext);
    double fullBudgetPrefill = Math.max(0.0, load.tokenBudget() - decodes);
    double tpotFull = predictStepUs(
        fullBudgetPrefill, fullBudgetPrefill > 0 ? 1 : 0, fullBudgetPrefill * fullBudgetPrefill, 0, 0,
        decodes, meanContext);
    if (Double.isInfinite(withRequest.elapsedUs)) {
      tpot = Double.POSITIVE_INFINITY;
      tpotFull = Double.POSITIVE_INFINITY;
    }
    return new AdmissionForecast(withRequest.elapsedUs, tpot, tpotFull, ahead.elapsedUs, withRequest.steps);
  }

  private record Drain(double elapsedUs, int steps, double decodesAfter, double decodeContextAfter) {}

  /**
   * Steps the queue (plus an optional extra request at its end) through chunked prefill until the
   * last item's prefill completes. Decodes grow by the requests that finish prefill and, if the load
   * says so, shrink as decodes finish at the mean rate.
   */
  private Drain simulate(EngineLoad load, int extraRemaining, int extraCached) {
    List<PendingPrefill> queue = load.queue();
    int items = queue.size() + (extraRemaining > 0 ? 1 : 0);
    double elapsed = load.currentStepRemainingUs();
    double decodes = load.runningDecodes();
    double context = load.decodeContextSum();
    double finishRate = load.meanRemainingOutputTokens() > 0 ? 1.0 / load.meanRemainingOutputTokens() : 0.0;
    int head = 0;
    long headDone = 0;
    int steps = 0;
    while (head < items) {
      double left = Math.floor(load.tokenBudget() - decodes);
      if (left < 1 || steps >= MAX_SIMULATED_STEPS) {
        return new Drain(Double.POSITIVE_INFINITY, Integer.MAX_VALUE, decodes, context);
      }
      double chunks = 0;
      double tokens = 0;
      double squares = 0;
      double cached = 0;
      double product = 0;
      double joined = 0;
      double joinedContext = 0;
      while (left > 0 && head < items) {
        long remaining = (head < queue.size() ? queue.get(head).remainingTokens() : extraRemaining) - headDone;
        long behind = (head < queue.size() ? queue.get(head).cachedTokens() : extraCached) + headDone;
        long chunk = (long) Math.min(left, remaining);
        chunks++;
        tokens += chunk;
        squares += (double) chunk * chunk;
        cached += behind;
        product += (double) chunk * behind;
        left -= chunk;
        if (chunk == remaining) {
          joined++;
          joinedContext += behind + chunk + 1;
          head++;
          headDone = 0;
        } else {
          headDone += chunk;
        }
      }
      elapsed += predictStepUs(tokens, chunks, squares, cached, product, decodes, context);
      steps++;
      context += decodes;
      if (finishRate > 0 && decodes > 0) {
        double finished = decodes * finishRate;
        context -= context * finishRate;
        decodes -= finished;
      }
      decodes += joined;
      context += joinedContext;
    }
    return new Drain(elapsed, Math.max(steps, 1), decodes, context);
  }
}
