package io.synergysched.connector.vllm;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The vLLM metrics SynergySched uses, read from one {@code /metrics} page under vLLM's current
 * names with the deprecated ones as fallback. Every value is the sum over the page's label sets
 * (model name, data-parallel engine index) except {@code kvCacheUsage}, which is their mean; a
 * value the page does not carry is {@code NaN}. Names and shapes follow vLLM's
 * {@code PrometheusStatLogger} (vllm/v1/metrics/loggers.py) and docs/design/metrics.md.
 *
 * @param scrapedAtMs when the page was fetched (epoch ms)
 * @param running {@code vllm:num_requests_running} (gauge, requests)
 * @param waiting {@code vllm:num_requests_waiting} (gauge, requests)
 * @param kvCacheUsage {@code vllm:kv_cache_usage_perc}, else the deprecated
 *     {@code vllm:gpu_cache_usage_perc} (gauge, fraction 0..1 despite the name)
 * @param preemptions {@code vllm:num_preemptions_total} (counter, requests)
 * @param promptTokens {@code vllm:prompt_tokens_total} (counter, tokens, counted when a request's
 *     prefill completes, cached tokens included)
 * @param generationTokens {@code vllm:generation_tokens_total} (counter, tokens)
 * @param prefixCacheHits {@code vllm:prefix_cache_hits_total}, else the deprecated
 *     {@code vllm:gpu_prefix_cache_hits_total} (counter, tokens)
 * @param iterationCount {@code vllm:iteration_tokens_total_count} (histogram count: engine steps)
 * @param iterationTokens {@code vllm:iteration_tokens_total_sum} (tokens over those steps)
 * @param firstTokenCount {@code vllm:time_to_first_token_seconds_count} (requests whose first
 *     token arrived)
 * @param firstTokenSeconds {@code vllm:time_to_first_token_seconds_sum} (s)
 * @param interTokenCount {@code vllm:inter_token_latency_seconds_count}, else the deprecated
 *     {@code vllm:time_per_output_token_seconds_count} (inter-token gaps observed)
 * @param interTokenSeconds the matching {@code _sum} (s)
 * @param prefillSeconds {@code vllm:request_prefill_time_seconds_sum} (s, per finished request
 *     from first scheduled to first token)
 * @param requestPromptCount {@code vllm:request_prompt_tokens_count} (finished requests)
 * @param requestPromptTokens {@code vllm:request_prompt_tokens_sum} (tokens)
 * @param requestGenerationCount {@code vllm:request_generation_tokens_count}
 * @param requestGenerationTokens {@code vllm:request_generation_tokens_sum} (tokens)
 * @param processStartSeconds {@code process_start_time_seconds} (absent in multi-process mode)
 * @param kvBlocksTotal {@code num_gpu_blocks} labels of {@code vllm:cache_config_info}, summed
 *     over data-parallel engines, or -1
 * @param blockSizeTokens {@code block_size} label of {@code vllm:cache_config_info}, or -1
 * @param deprecatedNamesUsed true when a value came from a deprecated name
 */
public record VllmMetricsSnapshot(
    long scrapedAtMs,
    double running,
    double waiting,
    double kvCacheUsage,
    double preemptions,
    double promptTokens,
    double generationTokens,
    double prefixCacheHits,
    double iterationCount,
    double iterationTokens,
    double firstTokenCount,
    double firstTokenSeconds,
    double interTokenCount,
    double interTokenSeconds,
    double prefillSeconds,
    double requestPromptCount,
    double requestPromptTokens,
    double requestGenerationCount,
    double requestGenerationTokens,
    double processStartSeconds,
    int kvBlocksTotal,
    int blockSizeTokens,
    boolean deprecatedNamesUsed) {

  static final String RUNNING = "vllm:num_requests_running";
  static final String WAITING = "vllm:num_requests_waiting";
  static final String KV_USAGE = "vllm:kv_cache_usage_perc";
  static final String KV_USAGE_DEPRECATED = "vllm:gpu_cache_usage_perc";
  static final String PREEMPTIONS = "vllm:num_preemptions_total";
  static final String PROMPT_TOKENS = "vllm:prompt_tokens_total";
  static final String GENERATION_TOKENS = "vllm:generation_tokens_total";
  static final String PREFIX_HITS = "vllm:prefix_cache_hits_total";
  static final String PREFIX_HITS_DEPRECATED = "vllm:gpu_prefix_cache_hits_total";
  static final String ITERATION_TOKENS = "vllm:iteration_tokens_total";
  static final String TTFT = "vllm:time_to_first_token_seconds";
  static final String ITL = "vllm:inter_token_latency_seconds";
  static final String ITL_DEPRECATED = "vllm:time_per_output_token_seconds";
  static final String PREFILL_TIME = "vllm:request_prefill_time_seconds";
  static final String REQUEST_PROMPT_TOKENS = "vllm:request_prompt_tokens";
  static final String REQUEST_GENERATION_TOKENS = "vllm:request_generation_tokens";
  static final String PROCESS_START = "process_start_time_seconds";
  static final String CACHE_CONFIG = "vllm:cache_config_info";

  /** Reads the snapshot from a parsed page. */
  public static VllmMetricsSnapshot from(MetricsPage page, long scrapedAtMs) {
    boolean[] deprecated = {false};
    double kv = first(page.mean(KV_USAGE), page.mean(KV_USAGE_DEPRECATED), deprecated);
    double hits = first(page.sum(PREFIX_HITS), page.sum(PREFIX_HITS_DEPRECATED), deprecated);
    Optional<MetricsPage.Histogram> itl = page.histogram(ITL);
    if (itl.isEmpty()) {
      itl = page.histogram(ITL_DEPRECATED);
      deprecated[0] |= itl.isPresent();
    }
    Optional<MetricsPage.Histogram> iter = page.histogram(ITERATION_TOKENS);
    Optional<MetricsPage.Histogram> ttft = page.histogram(TTFT);
    Optional<MetricsPage.Histogram> prefill = page.histogram(PREFILL_TIME);
    Optional<MetricsPage.Histogram> reqPrompt = page.histogram(REQUEST_PROMPT_TOKENS);
    Optional<MetricsPage.Histogram> reqGen = page.histogram(REQUEST_GENERATION_TOKENS);
    // One series per data-parallel engine, each with its own KV cache: capacities add up.
    long blocksSum = 0;
    int blockSize = -1;
    for (MetricsPage.Sample info : page.samples(CACHE_CONFIG)) {
      int b = positiveInt(info.labels().get("num_gpu_blocks"));
      if (b > 0) {
        blocksSum += b;
      }
      if (blockSize < 0) {
        blockSize = positiveInt(info.labels().get("block_size"));
      }
    }
    int blocks = blocksSum > 0 ? (int) Math.min(Integer.MAX_VALUE, blocksSum) : -1;
    return new VllmMetricsSnapshot(
        scrapedAtMs,
        page.sum(RUNNING).orElse(Double.NaN),
        page.sum(WAITING).orElse(Double.NaN),
        kv,
        page.sum(PREEMPTIONS).orElse(Double.NaN),
        page.sum(PROMPT_TOKENS).orElse(Double.NaN),
        page.sum(GENERATION_TOKENS).orElse(Double.NaN),
        hits,
        iter.map(MetricsPage.Histogram::count).orElse(Double.NaN),
        iter.map(MetricsPage.Histogram::sum).orElse(Double.NaN),
        ttft.map(MetricsPage.Histogram::count).orElse(Double.NaN),
        ttft.map(MetricsPage.Histogram::sum).orElse(Double.NaN),
        itl.map(MetricsPage.Histogram::count).orElse(Double.NaN),
        itl.map(MetricsPage.Histogram::sum).orElse(Double.NaN),
        prefill.map(MetricsPage.Histogram::sum).orElse(Double.NaN),
        reqPrompt.map(MetricsPage.Histogram::count).orElse(Double.NaN),
        reqPrompt.map(MetricsPage.Histogram::sum).orElse(Double.NaN),
        reqGen.map(MetricsPage.Histogram::count).orElse(Double.NaN),
        reqGen.map(MetricsPage.Histogram::sum).orElse(Double.NaN),
        page.sum(PROCESS_START).orElse(Double.NaN),
        blocks,
        blockSize,
        deprecated[0]);
  }

  /** The cumulative values, for reset detection: each must not decrease while the server lives. */
  double[] counters() {
    return new double[] {
      preemptions, promptTokens, generationTokens, prefixCacheHits, iterationCount,
      iterationTokens, firstTokenCount, interTokenCount, prefillSeconds, requestPromptCount,
      requestGenerationCount
    };
  }

  private static double first(OptionalDouble current, OptionalDouble deprecated, boolean[] flag) {
    if (current.isPresent()) {
      return current.getAsDouble();
    }
    if (deprecated.isPresent()) {
      flag[0] = true;
      return deprecated.getAsDouble();
    }
    return Double.NaN;
  }

  private static int positiveInt(String s) {
    if (s == null) {
      return -1;
    }
    try {
      double v = Double.parseDouble(s.trim());
      return v >= 1 && v <= Integer.MAX_VALUE ? (int) v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
