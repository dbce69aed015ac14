package io.synergysched.router;

import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Settings of one router-consumer instance. Build with {@link #fromSettings}; a bad value fails
 * naming its key.
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

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String GROUP_ID = "synergy.router.group";
  public static final String INSTANCE_ID = "synergy.router.instance";
  public static final String POLICY = "synergy.router.policy";
  public static final String TRAINER_URL = "synergy.router.trainer-url";
  public static final String SNAPSHOT_MS = "synergy.router.snapshot.ms";
  public static final String ENGINE_TIMEOUT_MS = "synergy.router.engine-timeout.ms";
  public static final String METRICS_PORT = "synergy.router.metrics.port";
  public static final String METRICS_BIND = "synergy.router.metrics.bind";

  public static final List<String> KEYS = Stream.concat(Stream.of(BOOTSTRAP_SERVERS,
      SCHEMA_REGISTRY_URL, GROUP_ID, INSTANCE_ID, POLICY, TRAINER_URL, SNAPSHOT_MS,
      ENGINE_TIMEOUT_MS, METRICS_PORT, METRICS_BIND), HttpAccess.KEYS.stream()).toList();

  public RouterConsumerConfig {
    kafka = Secrets.redacting(kafka);
  }

  /**
   * Reads the settings, applying defaults, and validates them.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static RouterConsumerConfig fromSettings(Map<String, String> settings) {
    String bootstrap = settings.get(BOOTSTRAP_SERVERS);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is required");
    }
    String instance = settings.getOrDefault(INSTANCE_ID, "router-0");
    if (!instance.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          INSTANCE_ID + " may hold letters, digits, '.', '_' and '-' only, was '" + instance + "'");
    }
    String trainer = settings.getOrDefault(TRAINER_URL, "http://127.0.0.1:7070");
    URI trainerUrl;
    try {
      trainerUrl = URI.create(trainer.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TRAINER_URL + " is not a URL: '" + trainer + "'", e);
    }
    if (trainerUrl.getScheme() == null || !trainerUrl.getScheme().startsWith("http")
        || trainerUrl.getHost() == null) {
      throw new IllegalArgumentException(
          TRAINER_URL + " must be an http(s) URL with a host, was '" + trainer + "'");
    }
    Map<String, String> kafka = KafkaClientSettings.fromSettings(settings);
    String registry = settings.get(SCHEMA_REGISTRY_URL);
    return new RouterConsumerConfig(
        bootstrap.trim(),
        registry == null || registry.isBlank() ? null : registry.trim(),
        settings.getOrDefault(GROUP_ID, "synergy-router"),
        instance,
        settings.getOrDefault(POLICY, "prism"),
        trainerUrl,
        Duration.ofMillis(whole(settings, SNAPSHOT_MS, 50, 1, 60_000)),
        Duration.ofMillis(whole(settings, ENGINE_TIMEOUT_MS, 3_000, 10, 3_600_000)),
        (int) whole(settings, METRICS_PORT, -1, -1, 65_535),
        bindAddress(settings.getOrDefault(METRICS_BIND, "127.0.0.1")),
        kafka,
        HttpAccess.fromSettings(settings));
  }

  private static String bindAddress(String text) {
    String host = text.trim();
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_-]+")) {
      throw new IllegalArgumentException(
          METRICS_BIND + " must be a host name or an IP address, was '" + text + "'");
    }
    return host;
  }

  private static long whole(Map<String, String> settings, String key, long fallback, long min,
      long max) {
    String text = settings.get(key);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + text + "'", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }
}
