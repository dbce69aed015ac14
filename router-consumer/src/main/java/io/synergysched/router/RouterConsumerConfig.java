package io.synergysched.router;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.Secrets;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one router-consumer instance, its keys declared below. Build with {@link
 * #fromSettings}; a bad value fails naming its key.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, required
 * @param schemaRegistryUrl Confluent-API registry URL, or null for single-object encoding
 * @param groupId consumer group of the inbound requests; instances sharing it share the work
 * @param instanceId unique per instance: its transactional id, so a restarted instance fences its
 *     predecessor's open transaction
 * @param policy routing profile, e.g. {@code prism} or {@code llm-d-default}
 * @param trainerUrl base URL of a model-trainer's query API, e.g. {@code http://127.0.0.1:7070}
 * @param snapshotInterval how often engine state is polled from the model-trainer
 * @param engineTimeout an engine whose last heartbeat is older than this is not routed to
 * @param metricsPort port of the Prometheus endpoint ({@code /metrics}), 0 for any free one, -1 off
 * @param metricsBind interface the Prometheus endpoint listens on (127.0.0.1 by default; 0.0.0.0
 *     where a scraper on another host must reach it, e.g. in docker compose)
 * @param kafka extra Kafka client settings ({@code kafka.*}, prefix removed; security settings
 *     checked by {@link KafkaClientSettings}), given to every client: consumers, producer
 * @param http who may read {@code /metrics}, and how this instance calls the model-trainer
 */
public record RouterConsumerConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String groupId,
    String instanceId,
    String policy,
    URI trainerUrl,
    Duration snapshotInterval,
    Duration engineTimeout,
    int metricsPort,
    String metricsBind,
    Map<String, String> kafka,
    HttpAccess http) {

  public static final Setting<String> CONSUMER_GROUP = Setting.text("synergy.router.group", "synergy-router",
      "consumer group of the inbound requests; instances sharing it share the work");
  public static final Setting<String> INSTANCE = Setting.text("synergy.router.instance", "router-0",
      "[A-Za-z0-9._-]+", "letters, digits, '.', '_' and '-'",
      "unique per instance: its transactional id, so a restarted instance fences its predecessor's open"
          + " transaction");
  public static final Setting<String> ROUTING_PROFILE = Setting.text("synergy.router.policy", "prism",
      "routing profile (routing-profiles.properties), e.g. prism or llm-d-default");
  public static final Setting<URI> TRAINER = Setting.url("synergy.router.trainer-url", "http://127.0.0.1:7070",
      "base URL of a model-trainer's query API");
  public static final Setting<Duration> SNAPSHOT_INTERVAL = Setting.millis("synergy.router.snapshot.ms", 50, 1,
      60_000, "how often engine state is polled from the model-trainer");
  public static final Setting<Duration> ENGINE_TIMEOUT = Setting.millis("synergy.router.engine-timeout.ms",
      3_000, 10, 3_600_000, "an engine whose last heartbeat is older than this is not routed to");
  public static final Setting<Integer> PROMETHEUS_PORT = Setting.integer("synergy.router.metrics.port", -1, -1,
      65_535, "port of the Prometheus endpoint (/metrics), 0 for any free one, -1 off");
  public static final Setting<String> PROMETHEUS_BIND = Setting.host("synergy.router.metrics.bind", "127.0.0.1",
      "interface the Prometheus endpoint listens on; 0.0.0.0 where a scraper on another host reads it"
          + " (docker compose)");

  /** The router's own keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(KafkaClientSettings.BOOTSTRAP_SERVERS,
      AvroSerdeConfig.REGISTRY_URL, CONSUMER_GROUP, INSTANCE, ROUTING_PROFILE, TRAINER, SNAPSHOT_INTERVAL,
      ENGINE_TIMEOUT, PROMETHEUS_PORT, PROMETHEUS_BIND);

  /** Every key a router-consumer reads (besides {@code kafka.*}): its own and {@link HttpAccess}'s. */
  public static final Settings ALL_SETTINGS = SETTINGS.and(HttpAccess.SETTINGS);

  // The keys as text, for code that writes settings.
  public static final String BOOTSTRAP_SERVERS = KafkaClientSettings.BOOTSTRAP_SERVERS.key();
  public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.REGISTRY_URL.key();
  public static final String GROUP_ID = CONSUMER_GROUP.key();
  public static final String INSTANCE_ID = INSTANCE.key();
  public static final String POLICY = ROUTING_PROFILE.key();
  public static final String TRAINER_URL = TRAINER.key();
  public static final String SNAPSHOT_MS = SNAPSHOT_INTERVAL.key();
  public static final String ENGINE_TIMEOUT_MS = ENGINE_TIMEOUT.key();
  public static final String METRICS_PORT = PROMETHEUS_PORT.key();
  public static final String METRICS_BIND = PROMETHEUS_BIND.key();

  public RouterConsumerConfig {
    kafka = Secrets.redacting(kafka);
  }

  /**
   * Reads the settings, applying defaults, and validates them.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static RouterConsumerConfig fromSettings(Map<String, String> settings) {
    String bootstrap = KafkaClientSettings.BOOTSTRAP_SERVERS.read(settings);
    URI registry = AvroSerdeConfig.REGISTRY_URL.read(settings);
    return new RouterConsumerConfig(
        bootstrap,
        registry == null ? null : registry.toString(),
        CONSUMER_GROUP.read(settings),
        INSTANCE.read(settings),
        ROUTING_PROFILE.read(settings),
        TRAINER.read(settings),
        SNAPSHOT_INTERVAL.read(settings),
        ENGINE_TIMEOUT.read(settings),
        PROMETHEUS_PORT.read(settings),
        PROMETHEUS_BIND.read(settings),
        KafkaClientSettings.fromSettings(settings),
        HttpAccess.fromSettings(settings));
  }
}
