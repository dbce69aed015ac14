package io.synergysched.trainer;

import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.Secrets;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.topologies.lens.LensHintTopologyConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Settings of one model-trainer instance. Build with {@link #fromSettings}; every value is checked
 * there and a bad one fails naming its key.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, required
 * @param applicationId Kafka Streams {@code application.id}; instances with the same id share work
 * @param schemaRegistryUrl Confluent-API registry URL, or null for single-object encoding
 * @param stateDir Kafka Streams state directory
 * @param advertisedHost host other instances and clients reach this one's query API at
 * @param bindHost interface the query API listens on
 * @param port query API port; 0 picks a free one (advertised as bound)
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param standbyReplicas standby copies of each store on other instances, &gt;= 0
 * @param streamThreads stream threads, &gt; 0
 * @param commitIntervalMs commit interval, ms, &gt; 0
 * @param stateCacheBytes Streams record cache ({@code statestore.cache.max.bytes}), bytes, &gt;= 0;
 *     it must hold every owned engine's model state (~6 KB) and status, split across the stream
 *     threads and the global thread, or each step writes through to RocksDB and the changelog
 * @param topicPartitions partitions of topics this instance creates, &gt; 0
 * @param replicationFactor replication of topics it creates and of changelogs, &gt; 0
 * @param modelConfig the online model's settings ({@code synergy.model.*})
 * @param kafka extra Kafka client settings ({@code kafka.*}, prefix removed; security settings
 *     checked by {@link KafkaClientSettings}), given to every client: admin, Streams
 * @param http who may call the query API, and how this instance calls its peers'
 * @param lens LENS hint planning ({@code synergy.lens.*}), or null when {@code synergy.lens.enabled}
 *     is false
 */
public record ModelTrainerConfig(
    String bootstrapServers,
    String applicationId,
    String schemaRegistryUrl,
    Path stateDir,
    String advertisedHost,
    String bindHost,
    int port,
    String processingGuarantee,
    int standbyReplicas,
    int streamThreads,
    long commitIntervalMs,
    long stateCacheBytes,
    int topicPartitions,
    short replicationFactor,
    StepLatencyModelConfig modelConfig,
    Map<String, String> kafka,
    HttpAccess http,
    LensHintTopologyConfig lens) {

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String APPLICATION_ID = "application.id";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String STATE_DIR = "state.dir";
  public static final String IQ_HOST = "synergy.iq.host";
  public static final String IQ_BIND = "synergy.iq.bind";
  public static final String IQ_PORT = "synergy.iq.port";
  public static final String PROCESSING_GUARANTEE = "processing.guarantee";
  public static final String STANDBY_REPLICAS = "num.standby.replicas";
  public static final String STREAM_THREADS = "num.stream.threads";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String STATE_CACHE_BYTES = "statestore.cache.max.bytes";
  public static final String TOPIC_PARTITIONS = "synergy.topics.partitions";
  public static final String REPLICATION_FACTOR = "synergy.topics.replication";
  public static final String LENS_ENABLED = "synergy.lens.enabled";

  /** The {@code synergy.model.*} keys of {@link StepLatencyModelConfig#fromProperties}. */
  static final List<String> MODEL_KEYS =
      Stream.of(
              "forgetting-factor",
              "knee-tokens",
              "huber-threshold",
              "relative-weighting",
              "floor-observations",
              "initial-residual-scale",
              "scale-adaptation-rate",
              "warm-samples",
              "correction-enabled",
              "correction-shrink-visits",
              "correction-min-rate")
          .map(k -> StepLatencyModelConfig.PREFIX + k)
          .toList();

  /** Every key this component understands (besides {@code kafka.*}). */
  public static final List<String> KEYS =
      Stream.concat(
              Stream.of(
                  BOOTSTRAP_SERVERS,
                  APPLICATION_ID,
                  SCHEMA_REGISTRY_URL,
                  STATE_DIR,
                  IQ_HOST,
                  IQ_BIND,
                  IQ_PORT,
                  PROCESSING_GUARANTEE,
                  STANDBY_REPLICAS,
                  STREAM_THREADS,
                  COMMIT_INTERVAL_MS,
                  STATE_CACHE_BYTES,
                  TOPIC_PARTITIONS,
                  REPLICATION_FACTOR),
              Stream.concat(
                  Stream.concat(MODEL_KEYS.stream(), HttpAccess.KEYS.stream()),
                  Stream.concat(Stream.of(LENS_ENABLED), LensHintTopologyConfig.KEYS.stream())))
          .toList();

  public ModelTrainerConfig {
    kafka = Secrets.redacting(kafka);
  }

  /**
   * Reads the settings, applying defaults, and validates them.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static ModelTrainerConfig fromSettings(Map<String, String> settings) {
    String bootstrap = settings.get(BOOTSTRAP_SERVERS);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is required");
    }
    String guarantee = settings.getOrDefault(PROCESSING_GUARANTEE, "exactly_once_v2");
    if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
      throw new IllegalArgumentException(
          PROCESSING_GUARANTEE + " must be exactly_once_v2 or at_least_once, was '" + guarantee + "'");
    }
    String host = settings.getOrDefault(IQ_HOST, "127.0.0.1");
    Map<String, String> kafka = KafkaClientSettings.fromSettings(settings);
    String registry = settings.get(SCHEMA_REGISTRY_URL);
    return new ModelTrainerConfig(
        bootstrap.trim(),
        nonBlank(settings, APPLICATION_ID, "synergy-model-trainer"),
        registry == null || registry.isBlank() ? null : registry.trim(),
        Path.of(nonBlank(settings, STATE_DIR,
            Path.of(System.getProperty("java.io.tmpdir"), "synergysched", "model-trainer").toString())),
        host,
        settings.getOrDefault(IQ_BIND, host),
        intIn(settings, IQ_PORT, 7070, 0, 65535),
        guarantee,
        intIn(settings, STANDBY_REPLICAS, 0, 0, 16),
        intIn(settings, STREAM_THREADS, 1, 1, 64),
        intIn(settings, COMMIT_INTERVAL_MS, 100, 1, 3_600_000),
        // Streams' 10 MB default holds ~800 engines' ~6 KB models once split with the global thread
        intIn(settings, STATE_CACHE_BYTES, 64 * 1024 * 1024, 0, Integer.MAX_VALUE),
        intIn(settings, TOPIC_PARTITIONS, 4, 1, 10_000),
        (short) intIn(settings, REPLICATION_FACTOR, 1, 1, 16),
        StepLatencyModelConfig.fromProperties(settings),
        kafka,
        HttpAccess.fromSettings(settings),
        lens(settings));
  }

  /** LENS hint planning, on unless {@code synergy.lens.enabled=false}. */
  private static LensHintTopologyConfig lens(Map<String, String> settings) {
    String enabled = settings.getOrDefault(LENS_ENABLED, "true").trim();
    if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(LENS_ENABLED + " must be true or false, was '" + enabled + "'");
    }
    return Boolean.parseBoolean(enabled) ? LensHintTopologyConfig.fromProperties(settings) : null;
  }

  private static String nonBlank(Map<String, String> settings, String key, String fallback) {
    String value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(key + " must not be blank");
    }
    return value.trim();
  }

  private static int intIn(Map<String, String> settings, String key, int fallback, int min, int max) {
    String text = settings.get(key);
    if (text == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + text + "'", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }
}
