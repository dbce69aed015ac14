package io.synergysched.connector.vllm;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Configuration of one vLLM engine behind the connector. Keys are {@code synergy.vllm.*}; see
 * {@link #fromProperties} for each key and its default, and docs/vllm-adapter.md.
 *
 * @param endpoint server base URL, e.g. {@code http://10.0.0.5:8000} (no {@code /v1})
 * @param servedModel the model name the server answers to ({@code --served-model-name})
 * @param api which OpenAI-compatible endpoint requests go to
 * @param prompt how the synthetic prompt is sent; chat needs {@link PromptMode#TEXT}
 * @param apiKey bearer token for servers started with {@code --api-key}; null for none
 * @param requestTimeout longest a whole request may take, connect to last chunk
 * @param connectTimeout longest a TCP connect may take
 * @param scrapeInterval time between {@code /metrics} scrapes
 * @param metricsPath path of the metrics page
 * @param maxConcurrentStreams most requests streaming at once; more wait in the connector
 * @param maxPending most requests waiting in the connector; more are rejected
 * @param ignoreEos send vLLM's {@code ignore_eos} so the output is exactly {@code max_tokens} long
 * @param approximateSteps publish the steps approximated from {@code /metrics}; false when the
 *     engine publishes its own per-step telemetry (the scrape then only keeps the health signal)
 * @param promptTokenIdMin smallest synthetic token id (inclusive)
 * @param promptTokenIdMax largest synthetic token id (exclusive), at most the vocabulary size
 * @param engineId the engine's id on every topic
 * @param gpu GPU kind, lower case as in the profiles (e.g. {@code a100})
 * @param modelLabel served model, lower case as in the profiles (e.g. {@code llama-2-7b})
 * @param tensorParallel tensor-parallel degree of the server
 * @param kvBlocksTotal KV capacity (blocks) until the server's {@code vllm:cache_config_info} says
 *     otherwise; 0 when unknown
 * @param blockSizeTokens KV block size (tokens), likewise
 * @param maxNumBatchedTokens the server's {@code --max-num-batched-tokens}
 * @param maxNumSeqs the server's {@code --max-num-seqs}
 * @param maxModelLen the server's {@code --max-model-len}; longer requests are rejected locally
 */
public record VllmConfig(
    URI endpoint,
    String servedModel,
    ApiStyle api,
    PromptMode prompt,
    String apiKey,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration scrapeInterval,
    String metricsPath,
    int maxConcurrentStreams,
    int maxPending,
    boolean ignoreEos,
    boolean approximateSteps,
    int promptTokenIdMin,
    int promptTokenIdMax,
    String engineId,
    String gpu,
    String modelLabel,
    int tensorParallel,
    int kvBlocksTotal,
    int blockSizeTokens,
    int maxNumBatchedTokens,
    int maxNumSeqs,
    int maxModelLen) {

  public static final String PREFIX = "synergy.vllm.";
  public static final String ENDPOINT = PREFIX + "endpoint";
  public static final String SERVED_MODEL = PREFIX + "served-model";
  public static final String API = PREFIX + "api";
  public static final String PROMPT = PREFIX + "prompt";
  public static final String API_KEY = PREFIX + "api-key";
  public static final String REQUEST_TIMEOUT_MS = PREFIX + "request-timeout-ms";
  public static final String CONNECT_TIMEOUT_MS = PREFIX + "connect-timeout-ms";
  public static final String SCRAPE_INTERVAL_MS = PREFIX + "scrape-interval-ms";
  public static final String METRICS_PATH = PREFIX + "metrics-path";
  public static final String MAX_CONCURRENT_STREAMS = PREFIX + "max-concurrent-streams";
  public static final String MAX_PENDING = PREFIX + "max-pending";
  public static final String IGNORE_EOS = PREFIX + "ignore-eos";
  public static final String APPROXIMATE_STEPS = PREFIX + "approximate-steps";
  public static final String PROMPT_TOKEN_ID_MIN = PREFIX + "prompt-token-id-min";
  public static final String PROMPT_TOKEN_ID_MAX = PREFIX + "prompt-token-id-max";
  public static final String ENGINE_ID = PREFIX + "engine-id";
  public static final String GPU = PREFIX + "gpu";
  public static final String MODEL_LABEL = PREFIX + "model-label";
  public static final String TENSOR_PARALLEL = PREFIX + "tensor-parallel";
  public static final String KV_BLOCKS_TOTAL = PREFIX + "kv-blocks-total";
  public static final String BLOCK_SIZE = PREFIX + "block-size";
  public static final String MAX_NUM_BATCHED_TOKENS = PREFIX + "max-num-batched-tokens";
  public static final String MAX_NUM_SEQS = PREFIX + "max-num-seqs";
  public static final String MAX_MODEL_LEN = PREFIX + "max-model-len";

  /** Every key this record reads, for a config loader that refuses keys nobody knows. */
  public static final List<String> KEYS = List.of(
      ENDPOINT, SERVED_MODEL, API, PROMPT, API_KEY, REQUEST_TIMEOUT_MS, CONNECT_TIMEOUT_MS,
      SCRAPE_INTERVAL_MS, METRICS_PATH, MAX_CONCURRENT_STREAMS, MAX_PENDING, IGNORE_EOS,
      APPROXIMATE_STEPS, PROMPT_TOKEN_ID_MIN, PROMPT_TOKEN_ID_MAX, ENGINE_ID, GPU, MODEL_LABEL,
      TENSOR_PARALLEL, KV_BLOCKS_TOTAL, BLOCK_SIZE, MAX_NUM_BATCHED_TOKENS, MAX_NUM_SEQS,
      MAX_MODEL_LEN);

  /** The OpenAI-compatible endpoint requests go to. */
  public enum ApiStyle {
    /** {@code POST /v1/completions}. */
    COMPLETIONS,
    /** {@code POST /v1/chat/completions}. */
    CHAT
  }

  /** How the synthetic prompt of the requested length is sent. */
  public enum PromptMode {
    /** Token ids in the completions {@code prompt}: the length is exact. */
    TOKEN_IDS,
    /** Words of about one token each: the length is approximate. */
    TEXT
  }

  /**
   * Reads the configuration from flat {@code synergy.vllm.*} properties (other keys are ignored)
   * and validates it. Required: {@code endpoint}, {@code served-model}, {@code engine-id},
   * {@code gpu}, {@code model-label}. Defaults: api {@code completions}, prompt {@code token-ids}
   * for completions and {@code text} for chat, request timeout 300000 ms, connect timeout
   * 5000 ms, scrape interval 1000 ms, metrics path {@code /metrics}, 256 concurrent streams,
   * 10000 pending, ignore-eos true, approximate-steps true, token ids in [1000, 30000),
   * tensor-parallel 1, kv-blocks-total 0 (learned from the server), block size 16, max-num-batched-tokens 8192,
   * max-num-seqs 256, max-model-len 4096.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static VllmConfig fromProperties(Map<String, String> props) {
    Function<String, String> get = k -> {
      String v = props.get(k);
      return v == null || v.isBlank() ? null : v.trim();
    };
    ApiStyle api = parseEnum(ApiStyle.class, API, get.apply(API), ApiStyle.COMPLETIONS);
    PromptMode defaultPrompt = api == ApiStyle.CHAT ? PromptMode.TEXT : PromptMode.TOKEN_IDS;
    String endpoint = get.apply(ENDPOINT);
    URI uri;
    try {
      uri = endpoint == null ? null : URI.create(endpoint.endsWith("/")
          ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ENDPOINT + ": not a URL: " + endpoint, e);
    }
    VllmConfig config = new VllmConfig(
        uri,
        get.apply(SERVED_MODEL),
        api,
        parseEnum(PromptMode.class, PROMPT, get.apply(PROMPT), defaultPrompt),
        get.apply(API_KEY),
        Duration.ofMillis(parseLong(REQUEST_TIMEOUT_MS, get.apply(REQUEST_TIMEOUT_MS), 300_000)),
        Duration.ofMillis(parseLong(CONNECT_TIMEOUT_MS, get.apply(CONNECT_TIMEOUT_MS), 5_000)),
        Duration.ofMillis(parseLong(SCRAPE_INTERVAL_MS, get.apply(SCRAPE_INTERVAL_MS), 1_000)),
        get.apply(METRICS_PATH) == null ? "/metrics" : get.apply(METRICS_PATH),
        parseInt(MAX_CONCURRENT_STREAMS, get.apply(MAX_CONCURRENT_STREAMS), 256),
        parseInt(MAX_PENDING, get.apply(MAX_PENDING), 10_000),
        parseBoolean(IGNORE_EOS, get.apply(IGNORE_EOS), true),
        parseBoolean(APPROXIMATE_STEPS, get.apply(APPROXIMATE_STEPS), true),
        parseInt(PROMPT_TOKEN_ID_MIN, get.apply(PROMPT_TOKEN_ID_MIN), 1000),
        parseInt(PROMPT_TOKEN_ID_MAX, get.apply(PROMPT_TOKEN_ID_MAX), 30_000),
        get.apply(ENGINE_ID),
        get.apply(GPU),
        get.apply(MODEL_LABEL),
        parseInt(TENSOR_PARALLEL, get.apply(TENSOR_PARALLEL), 1),
        parseInt(KV_BLOCKS_TOTAL, get.apply(KV_BLOCKS_TOTAL), 0),
        parseInt(BLOCK_SIZE, get.apply(BLOCK_SIZE), 16),
        parseInt(MAX_NUM_BATCHED_TOKENS, get.apply(MAX_NUM_BATCHED_TOKENS), 8192),
        parseInt(MAX_NUM_SEQS, get.apply(MAX_NUM_SEQS), 256),
        parseInt(MAX_MODEL_LEN, get.apply(MAX_MODEL_LEN), 4096));
    return config.validate();
  }

  /**
   * Checks every value; returns this for chaining.
   *
   * @throws IllegalArgumentException whose message starts with the bad key
   */
  public VllmConfig validate() {
    if (endpoint == null) {
      throw bad(ENDPOINT, "is required (e.g. http://127.0.0.1:8000)");
    }
    String scheme = endpoint.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw bad(ENDPOINT, "must be an http(s) URL with a host, was " + endpoint);
    }
    if (endpoint.getQuery() != null || endpoint.getFragment() != null) {
      throw bad(ENDPOINT, "must be a base URL without query or fragment, was " + endpoint);
    }
    if (endpoint.getPath() != null && endpoint.getPath().endsWith("/v1")) {
      throw bad(ENDPOINT, "is the server base URL, without /v1, was " + endpoint);
    }
    requireText(SERVED_MODEL, servedModel);
    if (api == null) {
      throw bad(API, "is required: completions or chat");
    }
    if (prompt == null) {
      throw bad(PROMPT, "is required: token-ids or text");
    }
    if (api == ApiStyle.CHAT && prompt == PromptMode.TOKEN_IDS) {
      throw bad(PROMPT, "token-ids needs api=completions (chat messages are text)");
    }
    requirePositive(REQUEST_TIMEOUT_MS, requestTimeout);
    requirePositive(CONNECT_TIMEOUT_MS, connectTimeout);
    requirePositive(SCRAPE_INTERVAL_MS, scrapeInterval);
    if (metricsPath == null || !metricsPath.startsWith("/")) {
      throw bad(METRICS_PATH, "must start with '/', was " + metricsPath);
    }
    requireAtLeast(MAX_CONCURRENT_STREAMS, maxConcurrentStreams, 1);
    requireAtLeast(MAX_PENDING, maxPending, 0);
    requireAtLeast(PROMPT_TOKEN_ID_MIN, promptTokenIdMin, 0);
    if (promptTokenIdMax <= promptTokenIdMin) {
      throw bad(PROMPT_TOKEN_ID_MAX, "must exceed " + PROMPT_TOKEN_ID_MIN + " (" + promptTokenIdMin
          + "), was " + promptTokenIdMax);
    }
    requireText(ENGINE_ID, engineId);
    requireText(GPU, gpu);
    if (!gpu.equals(gpu.toLowerCase(Locale.ROOT))) {
      throw bad(GPU, "must be lower case as in the profiles, was " + gpu);
    }
    requireText(MODEL_LABEL, modelLabel);
    if (!modelLabel.equals(modelLabel.toLowerCase(Locale.ROOT))) {
      throw bad(MODEL_LABEL, "must be lower case as in the profiles, was " + modelLabel);
    }
    requireAtLeast(TENSOR_PARALLEL, tensorParallel, 1);
    requireAtLeast(KV_BLOCKS_TOTAL, kvBlocksTotal, 0);
    requireAtLeast(BLOCK_SIZE, blockSizeTokens, 1);
    requireAtLeast(MAX_NUM_BATCHED_TOKENS, maxNumBatchedTokens, 1);
    requireAtLeast(MAX_NUM_SEQS, maxNumSeqs, 1);
    requireAtLeast(MAX_MODEL_LEN, maxModelLen, 2);
    return this;
  }

  /** Path of the generation endpoint for {@link #api}. */
  public String generationPath() {
    return api == ApiStyle.CHAT ? "/v1/chat/completions" : "/v1/completions";
  }

  @Override
  public String toString() {
    return "VllmConfig[endpoint=" + endpoint + ", servedModel=" + servedModel + ", api=" + api
        + ", prompt=" + prompt + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", requestTimeout=" + requestTimeout + ", scrapeInterval=" + scrapeInterval
        + ", maxConcurrentStreams=" + maxConcurrentStreams + ", maxPending=" + maxPending
        + ", engineId=" + engineId + ", gpu=" + gpu + ", modelLabel=" + modelLabel
        + ", tensorParallel=" + tensorParallel + "]";
  }

  private static IllegalArgumentException bad(String key, String problem) {
    return new IllegalArgumentException(key + ": " + problem);
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) {
      throw bad(key, "is required");
    }
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw bad(key, "must be > 0, was " + (d == null ? null : d.toMillis()));
    }
  }

  private static void requireAtLeast(String key, int value, int min) {
    if (value < min) {
      throw bad(key, "must be >= " + min + ", was " + value);
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String v, E dflt) {
    if (v == null) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ")
            .append(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      throw bad(key, "must be one of " + allowed + ", was " + v);
    }
  }

  private static long parseLong(String key, String v, long dflt) {
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(key, "not an integer: " + v);
    }
  }

  private static int parseInt(String key, String v, int dflt) {
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw bad(key, "not an integer: " + v);
    }
  }

  private static boolean parseBoolean(String key, String v, boolean dflt) {
    if (v == null) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw bad(key, "must be true or false, was " + v);
  }
}
