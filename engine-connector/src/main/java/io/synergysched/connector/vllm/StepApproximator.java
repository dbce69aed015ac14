package io.synergysched.connector.vllm;

import io.synergysched.core.telemetry.StepObservationValidator;
import io.synergysched.schemas.StepTelemetry;
import java.util.Optional;

/**
 * Turns the difference between two {@code /metrics} scrapes into one representative
 * {@link StepTelemetry}: the mean step of the window. vLLM exports aggregates, not steps, so every
 * structural field is a window mean; docs/vllm-adapter.md lists which fields are exact and how
 * each approximation is made.
 *
 * <p>The window's step count is the growth of {@code vllm:iteration_tokens_total_count}: vLLM
 * observes that histogram once per engine-core output batch, i.e. once per step. No step is
 * reported for a window without steps, for the first scrape (no baseline), or when the server
 * restarted (a counter went down or {@code process_start_time_seconds} changed): the window is
 * then unknowable, the new page becomes the baseline and the step index continues from where it
 * was, so it keeps increasing across restarts.
 *
 * <p>Not thread-safe: the scraper calls it from one thread.
 */
public final class StepApproximator {

  /** The validator's limit on a step; a longer mean step would be dead-lettered. */
  private static final long MAX_DURATION_US = StepObservationValidator.MAX_DURATION_US;

  private final String engineId;
  private final int configuredKvBlocksTotal;
  private final int configuredBlockSize;

  private VllmMetricsSnapshot previous;
  private long stepIndexOffset;
  private long restarts;
  private long windows;

  /**
   * @param engineId the engine the steps belong to
   * @param configuredKvBlocksTotal KV capacity (blocks) when the page has no
   *     {@code vllm:cache_config_info}; 0 when unknown
   * @param configuredBlockSize KV block size (tokens) when the page has none
   */
  public StepApproximator(String engineId, int configuredKvBlocksTotal, int configuredBlockSize) {
    this.engineId = engineId;
    this.configuredKvBlocksTotal = configuredKvBlocksTotal;
    this.configuredBlockSize = configuredBlockSize;
  }

  /** Server restarts seen so far (counter resets). */
  public long restarts() {
    return restarts;
  }

  /** Windows that yielded a step. */
  public long windows() {
    return windows;
  }

  /** The step the window since the last snapshot stands for, if it held any. */
  public Optional<StepTelemetry> next(VllmMetricsSnapshot now) {
    VllmMetricsSnapshot prev = previous;
    if (prev != null && restarted(prev, now)) {
      if (finite(prev.iterationCount())) {
        stepIndexOffset += (long) prev.iterationCount();
      }
      restarts++;
      previous = now;
      return Optional.empty();
    }
    previous = now;
    if (prev == null || now.scrapedAtMs() <= prev.scrapedAtMs()) {
      return Optional.empty();
    }
    double steps = delta(prev.iterationCount(), now.iterationCount());
    if (!(steps >= 1)) {
      return Optional.empty();
    }
    double wallUs = (now.scrapedAtMs() - prev.scrapedAtMs()) * 1000.0;
    double busyBoundUs = wallUs / steps;
    double gaps = delta(prev.interTokenCount(), now.interTokenCount());
    double durationUs = busyBoundUs;
    if (gaps >= 1) {
      double meanGapUs = delta(prev.interTokenSeconds(), now.interTokenSeconds()) / gaps * 1e6;
      if (meanGapUs > 0) {
        durationUs = Math.min(meanGapUs, busyBoundUs);
      }
    } else {
      // No decodes: only prefill steps ran. The prefill time of the requests that finished is
      // at least the time their steps took (concurrent prefills count a shared step twice).
      double prefillUs = delta(prev.prefillSeconds(), now.prefillSeconds()) * 1e6 / steps;
      if (prefillUs > 0) {
        durationUs = Math.min(prefillUs, busyBoundUs);
      }
    }
    if (durationUs > MAX_DURATION_US) {
      // A long silent gap (scrapes failing, engine idle) with a few steps: no credible mean.
      return Optional.empty();
    }

    double promptTokens = delta(prev.promptTokens(), now.promptTokens());
    double hits = clamp(delta(prev.prefixCacheHits(), now.prefixCacheHits()), 0, promptTokens);
    double generated = delta(prev.generationTokens(), now.generationTokens());
    double firstTokens = delta(prev.firstTokenCount(), now.firstTokenCount());
    double decodeTokens = Math.max(0, generated - firstTokens);

    int prefillTokens = (int) Math.round((promptTokens - hits) / steps);
    int decodeSeqs = (int) Math.round(decodeTokens / steps);
    if (prefillTokens + decodeSeqs == 0) {
      // Fewer tokens than steps: keep the window's dominant work visible instead of dropping it.
      if (promptTokens - hits > decodeTokens && promptTokens - hits > 0) {
        prefillTokens = 1;
      } else if (decodeTokens > 0 || generated > 0) {
        decodeSeqs = 1;
      } else {
        return Optional.empty();
      }
    }
    int prefillChunks = 0;
    long chunkSqSum = 0;
    if (prefillTokens > 0) {
      prefillChunks = (int) clamp(Math.round(firstTokens / steps), 1, prefillTokens);
      // Equal chunks: the least sum of squares k parts of n can have (n^2 / k).
      chunkSqSum = (long) prefillTokens * prefillTokens / prefillChunks;
    }
    long cachedContext = prefillTokens > 0 ? Math.round(hits / steps) : 0;

    int blocksTotal = now.kvBlocksTotal() > 0 ? now.kvBlocksTotal() : configuredKvBlocksTotal;
    int blockSize = now.blockSizeTokens() > 0 ? now.blockSizeTokens() : configuredBlockSize;
    int blocksUsed = 0;
    if (blocksTotal > 0 && finite(now.kvCacheUsage())) {
      blocksUsed = (int) clamp(Math.round(now.kvCacheUsage() * blocksTotal), 0, blocksTotal);
    }
    int running = count(now.running());
    double meanContext = meanDecodeContext(prev, now, blocksUsed, blockSize, running);
    long decodeContextSum =
        decodeSeqs == 0 ? 0 : Math.max(decodeSeqs, Math.round(decodeSeqs * meanContext));

    long duration = Math.max(1, Math.round(durationUs));
    long stepIndex = stepIndexOffset + (long) now.iterationCount() - 1;
    windows++;
    return Optional.of(
        StepTelemetry.newBuilder()
            .setEngineId(engineId)
            .setStepIndex(Math.max(0, stepIndex))
            .setStartTimeMs(now.scrapedAtMs() - duration / 1000)
            .setDurationUs(duration)
            .setPrefillTokens(prefillTokens)
            .setPrefillChunks(prefillChunks)
            .setPrefillChunkSqSum(chunkSqSum)
            .setPrefillCachedContext(cachedContext)
            .setPrefillChunkContextProduct(0)
            .setDecodeSeqs(decodeSeqs)
            .setDecodeContextSum(decodeContextSum)
            .setKvBlocksUsed(blocksUsed)
            .setKvBlocksTotal(Math.max(0, blocksTotal))
            .setWaiting(count(now.waiting()))
            .setRunning(running)
            .setPreemptions((int) clamp(delta(prev.preemptions(), now.preemptions()), 0, Integer.MAX_VALUE))
            .setTokenBudget(0)
            .setLensHintVersion(-1)
            .build());
  }

  /**
   * Mean KV context of a decoding request: the tokens the running requests hold in KV (usage times
   * capacity) spread over them when the page says so, else the window's finished requests' mean
   * prompt plus half their mean output, else 1.
   */
  private static double meanDecodeContext(
      VllmMetricsSnapshot prev, VllmMetricsSnapshot now, int blocksUsed, int blockSize,
      int running) {
    if (blocksUsed > 0 && blockSize > 0 && running > 0) {
      return (double) blocksUsed * blockSize / running;
    }
    double finished = delta(prev.requestPromptCount(), now.requestPromptCount());
    if (finished >= 1) {
      double prompt = delta(prev.requestPromptTokens(), now.requestPromptTokens()) / finished;
      double genCount = delta(prev.requestGenerationCount(), now.requestGenerationCount());
      double gen = genCount >= 1
          ? delta(prev.requestGenerationTokens(), now.requestGenerationTokens()) / genCount
          : 0;
      return Math.max(1, prompt + gen / 2);
    }
    return 1;
  }

  private static boolean restarted(VllmMetricsSnapshot prev, VllmMetricsSnapshot now) {
    if (finite(prev.processStartSeconds()) && finite(now.processStartSeconds())
        && now.processStartSeconds() != prev.processStartSeconds()) {
      return true;
    }
    double[] a = prev.counters();
    double[] b = now.counters();
    for (int i = 0; i < a.length; i++) {
      if (finite(a[i]) && finite(b[i]) && b[i] < a[i]) {
        return true;
      }
    }
    return false;
  }

  /** Growth of a counter; 0 when either side is missing. */
  private static double delta(double before, double after) {
    return finite(before) && finite(after) ? Math.max(0, after - before) : 0;
  }

  private static int count(double gauge) {
    return finite(gauge) ? (int) clamp(Math.round(gauge), 0, Integer.MAX_VALUE) : 0;
  }

  private static boolean finite(double v) {
    return Double.isFinite(v);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
