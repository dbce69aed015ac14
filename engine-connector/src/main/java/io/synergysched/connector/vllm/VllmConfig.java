package io.synergysched.connector.vllm;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of one vLLM engine behind the connector. Keys are {@code synergy.vllm.*}, each
 * declared below with its default and range (docs/vllm-adapter.md lists them).
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

  private static final String LOWER_CASE = "lower case, as in the profiles";

  public static final Setting<URI> SERVER = Setting.url(PREFIX + "endpoint", null,
      "server base URL, e.g. http://10.0.0.5:8000; must not include /v1").required();
  public static final Setting<String> MODEL_NAME = Setting.text(PREFIX + "served-model", null,
      "the model field of every request (the server's --served-model-name)").required();
  public static final Setting<ApiStyle> API_STYLE = Setting.choice(PREFIX + "api", ApiStyle.class,
      ApiStyle.COMPLETIONS, "completions (/v1/completions) or chat (/v1/chat/completions)");
  public static final Setting<PromptMode> PROMPT_MODE = Setting.choice(PREFIX + "prompt", PromptMode.class, null,
      "how the synthetic prompt is sent: token ids (exact length) or words of about one token each"
          + " (approximate length); token-ids with chat is rejected").derivedDefault("`token-ids` for completions, `text` for chat");
  // A secret: read as free text, so that no message prints it.
  public static final Setting<String> BEARER_KEY = Setting.text(PREFIX + "api-key", null,
      "bearer token for servers started with --api-key; never printed");
  public static final Setting<Duration> REQUEST_TIMEOUT = Setting.millis(PREFIX + "request-timeout-ms", 300_000,
      1, Long.MAX_VALUE, "longest a whole request may take, from connect to last chunk");
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.millis(PREFIX + "connect-timeout-ms", 5_000,
      1, Long.MAX_VALUE, "longest a TCP connect may take");
  public static final Setting<Duration> SCRAPE_INTERVAL = Setting.millis(PREFIX + "scrape-interval-ms", 1_000,
      1, Long.MAX_VALUE, "time between /metrics scrapes (scraping continues for health with approximate-steps=false)");
  public static final Setting<String> METRICS_PAGE = Setting.text(PREFIX + "metrics-path", "/metrics", "/.*",
      "a path starting with '/'", "path of the metrics page");
  public static final Setting<Integer> STREAM_LIMIT = Setting.integer(PREFIX + "max-concurrent-streams", 256, 1,
      Integer.MAX_VALUE, "most requests streaming at once; the rest wait in the connector, in arrival order");
  public static final Setting<Integer> PENDING_LIMIT = Setting.integer(PREFIX + "max-pending", 10_000, 0,
      Integer.MAX_VALUE, "most requests waiting in the connector; beyond that, requests are rejected");
  public static final Setting<Boolean> EXACT_OUTPUT_LENGTH = Setting.flag(PREFIX + "ignore-eos", true,
      "send vLLM's ignore_eos, so the output is exactly max_tokens long");
  public static final Setting<Boolean> STEP_APPROXIMATION = Setting.flag(PREFIX + "approximate-steps", true,
      "publish the steps approximated from /metrics; false when the engine publishes its own per-step"
          + " telemetry (the scrape then only keeps the health signal)");
  public static final Setting<Integer> TOKEN_ID_MIN = Setting.integer(PREFIX + "prompt-token-id-min", 1000, 0,
      Integer.MAX_VALUE, "smallest synthetic token id (inclusive); the ids must stay inside the model's vocabulary");
  public static final Setting<Integer> TOKEN_ID_MAX = Setting.integer(PREFIX + "prompt-token-id-max", 30_000, 1,
      Integer.MAX_VALUE, "largest synthetic token id (exclusive), above prompt-token-id-min and at most the"
          + " vocabulary size");
  public static final Setting<String> ENGINE = Setting.text(PREFIX + "engine-id", null,
      "the engine's id on every topic").required();
  public static final Setting<String> GPU_KIND = Setting.text(PREFIX + "gpu", null, VllmConfig::isLowerCase,
      LOWER_CASE, "GPU kind (e.g. a100), in the EngineDescriptor and to pick model priors").required();
  public static final Setting<String> MODEL = Setting.text(PREFIX + "model-label", null, VllmConfig::isLowerCase,
      LOWER_CASE, "served model (e.g. llama-3-8b), in the EngineDescriptor and to pick model priors").required();
  public static final Setting<Integer> TP_DEGREE = Setting.integer(PREFIX + "tensor-parallel", 1, 1,
      Integer.MAX_VALUE, "tensor-parallel degree of the server");
  public static final Setting<Integer> KV_CAPACITY = Setting.integer(PREFIX + "kv-blocks-total", 0, 0,
      Integer.MAX_VALUE, "KV capacity (blocks) until vllm:cache_config_info is first scraped (after that the"
          + " scraped value wins); 0 when unknown");
  public static final Setting<Integer> KV_BLOCK_SIZE = Setting.integer(PREFIX + "block-size", 16, 1,
      Integer.MAX_VALUE, "KV block size (tokens) until vllm:cache_config_info is first scraped");
  public static final Setting<Integer> BATCHED_TOKEN_LIMIT = Setting.integer(PREFIX + "max-num-batched-tokens",
      8192, 1, Integer.MAX_VALUE, "copy of the server's --max-num-batched-tokens, which the engine descriptor reports");
  public static final Setting<Integer> SEQUENCE_LIMIT = Setting.integer(PREFIX + "max-num-seqs", 256, 1,
      Integer.MAX_VALUE, "copy of the server's --max-num-seqs, which the engine descriptor reports");
  public static final Setting<Integer> MODEL_LEN_LIMIT = Setting.integer(PREFIX + "max-model-len", 4096, 2,
      Integer.MAX_VALUE, "copy of the server's --max-model-len; a longer request is rejected locally");

  /** The keys of a vLLM engine, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(SERVER, MODEL_NAME, API_STYLE, PROMPT_MODE, BEARER_KEY,
      REQUEST_TIMEOUT, CONNECT_TIMEOUT, SCRAPE_INTERVAL, METRICS_PAGE, STREAM_LIMIT, PENDING_LIMIT,
      EXACT_OUTPUT_LENGTH, STEP_APPROXIMATION, TOKEN_ID_MIN, TOKEN_ID_MAX, ENGINE, GPU_KIND, MODEL, TP_DEGREE,
      KV_CAPACITY, KV_BLOCK_SIZE, BATCHED_TOKEN_LIMIT, SEQUENCE_LIMIT, MODEL_LEN_LIMIT);

  // The keys as text, for code that writes settings.
  public static final String ENDPOINT = SERVER.key();
  public static final String SERVED_MODEL = MODEL_NAME.key();
  public static final String API = API_STYLE.key();
  public static final String PROMPT = PROMPT_MODE.key();
  public static final String API_KEY = BEARER_KEY.key();
  public static final String REQUEST_TIMEOUT_MS = REQUEST_TIMEOUT.key();
  public static final String CONNECT_TIMEOUT_MS = CONNECT_TIMEOUT.key();
  public static final String SCRAPE_INTERVAL_MS = SCRAPE_INTERVAL.key();
  public static final String METRICS_PATH = METRICS_PAGE.key();
  public static final String MAX_CONCURRENT_STREAMS = STREAM_LIMIT.key();
  public static final String MAX_PENDING = PENDING_LIMIT.key();
  public static final String IGNORE_EOS = EXACT_OUTPUT_LENGTH.key();
  public static final String APPROXIMATE_STEPS = STEP_APPROXIMATION.key();
  public static final String PROMPT_TOKEN_ID_MIN = TOKEN_ID_MIN.key();
  public static final String PROMPT_TOKEN_ID_MAX = TOKEN_ID_MAX.key();
  public static final String ENGINE_ID = ENGINE.key();
  public static final String GPU = GPU_KIND.key();
  public static final String MODEL_LABEL = MODEL.key();
  public static final String TENSOR_PARALLEL = TP_DEGREE.key();
  public static final String KV_BLOCKS_TOTAL = KV_CAPACITY.key();
  public static final String BLOCK_SIZE = KV_BLOCK_SIZE.key();
  public static final String MAX_NUM_BATCHED_TOKENS = BATCHED_TOKEN_LIMIT.key();
  public static final String MAX_NUM_SEQS = SEQUENCE_LIMIT.key();
  public static final String MAX_MODEL_LEN = MODEL_LEN_LIMIT.key();

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
   * and validates it; each key, its default and its range are declared above.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static VllmConfig fromProperties(Map<String, String> props) {
    ApiStyle api = API_STYLE.read(props);
    PromptMode prompt = PROMPT_MODE.read(props);
    URI endpoint = SERVER.read(props);
    if (endpoint.toString().endsWith("/")) {
      String text = endpoint.toString();
      endpoint = URI.create(text.substring(0, text.length() - 1));
    }
    return new VllmConfig(
        endpoint,
        MODEL_NAME.read(props),
        api,
        prompt != null ? prompt : api == ApiStyle.CHAT ? PromptMode.TEXT : PromptMode.TOKEN_IDS,
        BEARER_KEY.read(props),
        REQUEST_TIMEOUT.read(props),
        CONNECT_TIMEOUT.read(props),
        SCRAPE_INTERVAL.read(props),
        METRICS_PAGE.read(props),
        STREAM_LIMIT.read(props),
        PENDING_LIMIT.read(props),
        EXACT_OUTPUT_LENGTH.read(props),
        STEP_APPROXIMATION.read(props),
        TOKEN_ID_MIN.read(props),
        TOKEN_ID_MAX.read(props),
        ENGINE.read(props),
        GPU_KIND.read(props),
        MODEL.read(props),
        TP_DEGREE.read(props),
        KV_CAPACITY.read(props),
        KV_BLOCK_SIZE.read(props),
        BATCHED_TOKEN_LIMIT.read(props),
        SEQUENCE_LIMIT.read(props),
        MODEL_LEN_LIMIT.read(props))
        .validate();
  }

  /**
   * Checks every value; returns this for chaining.
   *
   * @throws IllegalArgumentException whose message starts with the bad key
   */
  public VllmConfig validate() {
    SERVER.check(endpoint);
    if (endpoint.getQuery() != null || endpoint.getFragment() != null) {
      throw new IllegalArgumentException(
          ENDPOINT + " must be a base URL without query or fragment, was " + endpoint);
    }
    if (endpoint.getPath() != null && endpoint.getPath().endsWith("/v1")) {
      throw new IllegalArgumentException(ENDPOINT + " must be the server base URL, without /v1, was " + endpoint);
    }
    MODEL_NAME.check(servedModel);
    API_STYLE.checkPresent(api);
    PROMPT_MODE.checkPresent(prompt);
    if (api == ApiStyle.CHAT && prompt == PromptMode.TOKEN_IDS) {
      throw new IllegalArgumentException(PROMPT + " token-ids needs api=completions (chat messages are text)");
    }
    REQUEST_TIMEOUT.checkPresent(requestTimeout);
    CONNECT_TIMEOUT.checkPresent(connectTimeout);
    SCRAPE_INTERVAL.checkPresent(scrapeInterval);
    METRICS_PAGE.checkPresent(metricsPath);
    STREAM_LIMIT.check(maxConcurrentStreams);
    PENDING_LIMIT.check(maxPending);
    TOKEN_ID_MIN.check(promptTokenIdMin);
    if (promptTokenIdMax <= promptTokenIdMin) {
      throw new IllegalArgumentException(PROMPT_TOKEN_ID_MAX + " must exceed " + PROMPT_TOKEN_ID_MIN + " ("
          + promptTokenIdMin + "), was " + promptTokenIdMax);
    }
    ENGINE.check(engineId);
    GPU_KIND.check(gpu);
    MODEL.check(modelLabel);
    TP_DEGREE.check(tensorParallel);
    KV_CAPACITY.check(kvBlocksTotal);
    KV_BLOCK_SIZE.check(blockSizeTokens);
    BATCHED_TOKEN_LIMIT.check(maxNumBatchedTokens);
    SEQUENCE_LIMIT.check(maxNumSeqs);
    MODEL_LEN_LIMIT.check(maxModelLen);
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

  private static boolean isLowerCase(String text) {
    return text.equals(text.toLowerCase(Locale.ROOT));
  }
}
