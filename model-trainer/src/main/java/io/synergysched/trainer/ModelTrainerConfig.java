package io.synergysched.trainer;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.Secrets;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.topologies.lens.LensHintTopologyConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one model-trainer instance, its keys declared below. Build with {@link
 * #fromSettings}; every value is checked there and a bad one fails naming its key.
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

  public static final Setting<String> STREAMS_APPLICATION = Setting.text("application.id", "synergy-model-trainer",
      "Kafka Streams application.id: instances with the same id share the work");
  public static final Setting<String> STREAMS_STATE = Setting.text("state.dir", null, "Kafka Streams state directory")
      .derivedDefault("`$TMP/synergysched/model-trainer` (`java.io.tmpdir`)");
  public static final Setting<String> QUERY_HOST = Setting.text("synergy.iq.host", "127.0.0.1",
      "host other instances and clients reach this one's query API at");
  public static final Setting<String> QUERY_BIND = Setting.text("synergy.iq.bind", null,
      "interface the query API listens on").derivedDefault("`synergy.iq.host`");
  public static final Setting<Integer> QUERY_PORT = Setting.integer("synergy.iq.port", 7070, 0, 65_535,
      "query API port; 0 picks a free one (advertised as bound)");
  public static final Setting<String> GUARANTEE = Setting.text("processing.guarantee", "exactly_once_v2",
      "exactly_once_v2|at_least_once", "exactly_once_v2 or at_least_once", "Kafka Streams processing guarantee");
  public static final Setting<Integer> STANDBYS = Setting.integer("num.standby.replicas", 0, 0, 16,
      "standby copies of each store on other instances");
  public static final Setting<Integer> THREADS = Setting.integer("num.stream.threads", 1, 1, 64, "stream threads");
  public static final Setting<Duration> COMMIT_INTERVAL = Setting.millis("commit.interval.ms", 100, 1, 3_600_000,
      "Kafka Streams commit interval");
  // Streams' 10 MB default holds ~800 engines' ~6 KB models once split with the global thread
  public static final Setting<Integer> STATE_CACHE = Setting.integer("statestore.cache.max.bytes",
      64 * 1024 * 1024, 0, Integer.MAX_VALUE,
      "Streams record cache, bytes: it must hold every owned engine's model state (~6 KB) and status, split"
          + " across the stream threads and the global thread, or each step writes through to RocksDB and the"
          + " changelog");
  public static final Setting<Integer> PARTITIONS = Setting.integer("synergy.topics.partitions", 4, 1, 10_000,
      "partitions of the topics this instance creates at start");
  public static final Setting<Integer> REPLICATION = Setting.integer("synergy.topics.replication", 1, 1, 16,
      "replication of the topics it creates and of its changelogs");
  public static final Setting<Boolean> LENS_HINTS = Setting.flag("synergy.lens.enabled", true,
      "plan LENS hints onto synergy.control.lens (synergy.lens.* keys: docs/configuration.md)");

  /** The trainer's own keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(KafkaClientSettings.BOOTSTRAP_SERVERS, STREAMS_APPLICATION,
      AvroSerdeConfig.REGISTRY_URL, STREAMS_STATE, QUERY_HOST, QUERY_BIND, QUERY_PORT, GUARANTEE, STANDBYS,
      THREADS, COMMIT_INTERVAL, STATE_CACHE, PARTITIONS, REPLICATION, LENS_HINTS);

  /**
   * Every key a model-trainer reads (besides {@code kafka.*}): its own, the online model's, {@link
   * HttpAccess}'s and the LENS hint planning's.
   */
  public static final Settings ALL_SETTINGS = SETTINGS.and(StepLatencyModelConfig.SETTINGS)
      .and(HttpAccess.SETTINGS).and(LensHintTopologyConfig.ALL_SETTINGS);

  // The keys as text, for code that writes settings.
  public static final String BOOTSTRAP_SERVERS = KafkaClientSettings.BOOTSTRAP_SERVERS.key();
  public static final String APPLICATION_ID = STREAMS_APPLICATION.key();
  public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.REGISTRY_URL.key();
  public static final String STATE_DIR = STREAMS_STATE.key();
  public static final String IQ_HOST = QUERY_HOST.key();
  public static final String IQ_BIND = QUERY_BIND.key();
  public static final String IQ_PORT = QUERY_PORT.key();
  public static final String PROCESSING_GUARANTEE = GUARANTEE.key();
  public static final String STANDBY_REPLICAS = STANDBYS.key();
  public static final String STREAM_THREADS = THREADS.key();
  public static final String COMMIT_INTERVAL_MS = COMMIT_INTERVAL.key();
  public static final String STATE_CACHE_BYTES = STATE_CACHE.key();
  public static final String TOPIC_PARTITIONS = PARTITIONS.key();
  public static final String REPLICATION_FACTOR = REPLICATION.key();
  public static final String LENS_ENABLED = LENS_HINTS.key();

  public ModelTrainerConfig {
    kafka = Secrets.redacting(kafka);
  }

  /**
   * Reads the settings, applying defaults, and validates them.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static ModelTrainerConfig fromSettings(Map<String, String> settings) {
    String bootstrap = KafkaClientSettings.BOOTSTRAP_SERVERS.read(settings);
    String guarantee = GUARANTEE.read(settings);
    String host = QUERY_HOST.read(settings);
    String bind = QUERY_BIND.read(settings);
    String stateDir = STREAMS_STATE.read(settings);
    URI registry = AvroSerdeConfig.REGISTRY_URL.read(settings);
    return new ModelTrainerConfig(
        bootstrap,
        STREAMS_APPLICATION.read(settings),
        registry == null ? null : registry.toString(),
        stateDir != null ? Path.of(stateDir)
            : Path.of(System.getProperty("java.io.tmpdir"), "synergysched", "model-trainer"),
        host,
        bind == null ? host : bind,
        QUERY_PORT.read(settings),
        guarantee,
        STANDBYS.read(settings),
        THREADS.read(settings),
        COMMIT_INTERVAL.read(settings).toMillis(),
        STATE_CACHE.read(settings),
        PARTITIONS.read(settings),
        REPLICATION.read(settings).shortValue(),
        StepLatencyModelConfig.fromProperties(settings),
        KafkaClientSettings.fromSettings(settings),
        HttpAccess.fromSettings(settings),
        LENS_HINTS.read(settings) ? LensHintTopologyConfig.fromProperties(settings) : null);
  }
}
