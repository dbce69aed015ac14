package io.synergysched.connector;

import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.Secrets;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of one engine-connector process. Build with {@link #fromSettings}; a bad value fails
 * naming its key.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, required
 * @param schemaRegistryUrl Confluent-API registry URL, or null for single-object encoding
 * @param connectorId this process's id: names its consumer groups, so each process reads every
 *     routed record and keeps those of its own engines
 * @param engines engines to run, in order
 * @param speed engine time per wall time for simulated engines, &gt; 0
 * @param scheduler batch scheduler of simulated engines, e.g. {@code vllm-default}
 * @param profiles Vidur-layout profile directory, or null for {@code ../shared/data/profiles/vidur}
 * @param noiseSigma lognormal step-time noise of simulated engines, &gt;= 0
 * @param seed seed of that noise
 * @param heartbeat interval of registry heartbeats, positive
 * @param bufferCapacity records buffered while Kafka is away, &gt; 0
 * @param kafka extra Kafka client settings ({@code kafka.*}, prefix removed; security settings
 *     checked by {@link KafkaClientSettings}), given to every client: consumer, producer
 * @param backend {@code sim} (simulated engines, {@code synergy.engines*} keys) or {@code vllm}
 *     (one vLLM server, {@code synergy.vllm.*} keys)
 * @param sloTtftMs TTFT target of requests that carry none, ms, &gt; 0 (what SLO-aware schedulers
 *     such as {@code lens} protect)
 * @param sloTpotMs TPOT target of requests that carry none, ms, &gt; 0
 * @param recovery what a starting connector does with the requests a previous run of the same id
 *     handed to its engines and never ended (killed without reporting them): fail them over, report
 *     them REJECTED, or nothing (see docs/reliability.md)
 * @param recoveryLookback how far back a starting connector looks for such requests, positive
 */
public record EngineConnectorConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String connectorId,
    List<EngineSlot> engines,
    double speed,
    String scheduler,
    Path profiles,
    double noiseSigma,
    long seed,
    Duration heartbeat,
    int bufferCapacity,
    Map<String, String> kafka,
    String backend,
    double sloTtftMs,
    double sloTpotMs,
    Recovery recovery,
    Duration recoveryLookback) {

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String CONNECTOR_ID = "synergy.connector.id";
  public static final String ENGINES = "synergy.engines";
  public static final String SPEED = "synergy.engines.speed";
  public static final String SCHEDULER = "synergy.engines.scheduler";
  public static final String PROFILES = "synergy.engines.profiles";
  public static final String NOISE_SIGMA = "synergy.engines.noise-sigma";
  public static final String SEED = "synergy.engines.seed";
  public static final String HEARTBEAT_MS = "synergy.heartbeat.ms";
  public static final String BUFFER_CAPACITY = "synergy.telemetry.buffer";
  public static final String BACKEND = "synergy.engines.backend";
  public static final String SLO_TTFT_MS = "synergy.engines.slo.ttft-ms";
  public static final String SLO_TPOT_MS = "synergy.engines.slo.tpot-ms";
  public static final String RECOVERY = "synergy.engines.recovery";
  public static final String RECOVERY_LOOKBACK_MS = "synergy.engines.recovery.lookback-ms";

  public static final List<String> KEYS =
      List.of(BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, CONNECTOR_ID, ENGINES, SPEED, SCHEDULER,
          PROFILES, NOISE_SIGMA, SEED, HEARTBEAT_MS, BUFFER_CAPACITY, BACKEND, SLO_TTFT_MS,
          SLO_TPOT_MS, RECOVERY, RECOVERY_LOOKBACK_MS);

  /**
   * What a starting connector does with its engines' requests that a previous run of the same id
   * left in flight (handed to an engine, no FINISHED or REJECTED event).
   */
  public enum Recovery {
    /** Serve them again on the same engine (their TTFT still counts from the original arrival). */
    FAILOVER,
    /** Report them REJECTED with {@link #REJECT_REASON}, for the client to retry. */
    REJECT,
    /** Do nothing: they stay without an end event. */
    OFF;

    /** The reason of the REJECTED events {@link #REJECT} publishes. */
    public static final String REJECT_REASON =
        "engine-connector restarted; request lost in flight, retry";

    static Recovery parse(String text) {
      for (Recovery r : values()) {
        if (r.name().equalsIgnoreCase(text.trim())) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          RECOVERY + " must be failover, reject or off, was '" + text + "'");
    }
  }

  /**
   * One engine to run: its id and its hardware, {@code GPU:MODEL:tpN}.
   *
   * @param engineId unique in the cluster
   * @param spec e.g. {@code a100:llama-2-7b:tp1}
   */
  public record EngineSlot(String engineId, String spec) {}

  public EngineConnectorConfig {
    engines = List.copyOf(engines);
    kafka = Secrets.redacting(kafka);
  }

  /**
   * Reads and validates the settings.
   *
   * <p>{@code synergy.engines} lists engines as {@code GPU:MODEL:tpN[*COUNT]}, comma-separated;
   * engine ids are {@code <connector id>-<gpu>-<model>-tp<N>-<i>}.
   *
   * @throws IllegalArgumentException naming the first bad key
   */
  public static EngineConnectorConfig fromSettings(Map<String, String> settings) {
    String bootstrap = settings.get(BOOTSTRAP_SERVERS);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is required");
    }
    String id = settings.getOrDefault(CONNECTOR_ID, "connector");
    if (!id.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          CONNECTOR_ID + " may hold letters, digits, '.', '_' and '-' only, was '" + id + "'");
    }
    List<EngineSlot> engines = parseEngines(id, settings.getOrDefault(ENGINES,
        "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2"));
    double speed = number(settings, SPEED, 1.0);
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException(SPEED + " must be a positive factor, was " + speed);
    }
    double noise = number(settings, NOISE_SIGMA, 0.0);
    if (!(noise >= 0) || noise > 1) {
      throw new IllegalArgumentException(NOISE_SIGMA + " must be in [0, 1], was " + noise);
    }
    double heartbeatMs = number(settings, HEARTBEAT_MS, 1000);
    if (!(heartbeatMs >= 10)) {
      throw new IllegalArgumentException(HEARTBEAT_MS + " must be >= 10, was " + heartbeatMs);
    }
    double capacity = number(settings, BUFFER_CAPACITY, 100_000);
    if (!(capacity >= 1) || capacity > 10_000_000) {
      throw new IllegalArgumentException(
          BUFFER_CAPACITY + " must be in [1, 10000000], was " + capacity);
    }
    Map<String, String> kafka = KafkaClientSettings.fromSettings(settings);
    String registry = settings.get(SCHEMA_REGISTRY_URL);
    String profiles = settings.get(PROFILES);
    String backend = settings.getOrDefault(BACKEND, "sim").trim();
    if (!backend.equals("sim") && !backend.equals("vllm")) {
      throw new IllegalArgumentException(BACKEND + " must be sim or vllm, was '" + backend + "'");
    }
    String scheduler = settings.getOrDefault(SCHEDULER, "vllm-default").trim();
    if (!BatchSchedulerRegistry.names().contains(scheduler)) {
      throw new IllegalArgumentException(SCHEDULER + " must be one of " + BatchSchedulerRegistry.names()
          + ", was '" + scheduler + "'");
    }
    double ttft = number(settings, SLO_TTFT_MS, 1000);
    if (!(ttft > 0) || Double.isInfinite(ttft)) {
      throw new IllegalArgumentException(SLO_TTFT_MS + " must be > 0, was " + ttft);
    }
    double tpot = number(settings, SLO_TPOT_MS, 100);
    if (!(tpot > 0) || Double.isInfinite(tpot)) {
      throw new IllegalArgumentException(SLO_TPOT_MS + " must be > 0, was " + tpot);
    }
    Recovery recovery = Recovery.parse(settings.getOrDefault(RECOVERY, "failover"));
    double lookback = number(settings, RECOVERY_LOOKBACK_MS, 300_000);
    if (!(lookback >= 1) || lookback > 7L * 24 * 3600 * 1000) {
      throw new IllegalArgumentException(
          RECOVERY_LOOKBACK_MS + " must be in [1, 604800000] ms, was " + lookback);
    }
    return new EngineConnectorConfig(
        bootstrap.trim(),
        registry == null || registry.isBlank() ? null : registry.trim(),
        id,
        engines,
        speed,
        scheduler,
        profiles == null || profiles.isBlank() ? null : Path.of(profiles.trim()),
        noise,
        (long) number(settings, SEED, 1),
        Duration.ofMillis((long) heartbeatMs),
        (int) capacity,
        kafka,
        backend,
        ttft,
        tpot,
        recovery,
        Duration.ofMillis((long) lookback));
  }

  private static List<EngineSlot> parseEngines(String connectorId, String text) {
    List<EngineSlot> slots = new ArrayList<>();
    for (String part : text.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      int count = 1;
      int star = item.indexOf('*');
      if (star >= 0) {
        try {
          count = Integer.parseInt(item.substring(star + 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(ENGINES + ": '" + item + "' has no whole count", e);
        }
        item = item.substring(0, star).trim();
      }
      String[] fields = item.split(":");
      if (fields.length != 3 || count < 1 || count > 1024) {
        throw new IllegalArgumentException(
            ENGINES + ": '" + part.trim() + "' is not GPU:MODEL:tpN[*COUNT] with COUNT in [1, 1024]");
      }
      for (int i = 0; i < count; i++) {
        String engineId = connectorId + "-" + fields[0] + "-" + fields[1] + "-" + fields[2] + "-"
            + slots.size();
        slots.add(new EngineSlot(engineId.toLowerCase(java.util.Locale.ROOT), item));
      }
    }
    if (slots.isEmpty()) {
      throw new IllegalArgumentException(ENGINES + " names no engine");
    }
    return slots;
  }

  private static double number(Map<String, String> settings, String key, double fallback) {
    String text = settings.get(key);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + text + "'", e);
    }
  }
}
