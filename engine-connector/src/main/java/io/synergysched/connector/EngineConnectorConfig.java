package io.synergysched.connector;

import io.synergysched.connector.vllm.VllmConfig;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.Secrets;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Settings of one engine-connector process, its keys declared below. Build with {@link
 * #fromSettings}; a bad value fails naming its key.
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

  private static final String SCHEDULERS = String.join(", ", new TreeSet<>(BatchSchedulerRegistry.names()));

  public static final Setting<String> CONNECTOR = Setting.text("synergy.connector.id", "connector",
      "[A-Za-z0-9._-]+", "letters, digits, '.', '_' and '-'",
      "this process's id: names its consumer groups and prefixes its engines' ids");
  public static final Setting<List<EngineGroup>> ENGINE_GROUPS = Setting.list("synergy.engines",
      "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2", EngineGroup::parse,
      "GPU:MODEL:tpN[*COUNT], COUNT in [1, 1024]",
      "engines to run, in order; their ids are `<connector id>-<gpu>-<model>-tp<N>-<i>`");
  public static final Setting<Double> ENGINE_SPEED = Setting.number("synergy.engines.speed", 1.0, "> 0",
      v -> v > 0, "engine time per wall time for simulated engines");
  public static final Setting<String> BATCH_SCHEDULER = Setting.text("synergy.engines.scheduler", "vllm-default",
      BatchSchedulerRegistry.names()::contains, "one of " + SCHEDULERS,
      "batch scheduler of simulated engines (lens applies the control topic's hints)");
  public static final Setting<String> PROFILE_DIR = Setting.text("synergy.engines.profiles", null,
      "Vidur-layout profile directory").derivedDefault("`../shared/data/profiles/vidur`");
  public static final Setting<Double> STEP_NOISE = Setting.number("synergy.engines.noise-sigma", 0.0, 0, 1,
      "sigma of the lognormal step-time noise of simulated engines");
  public static final Setting<Long> NOISE_SEED = Setting.whole("synergy.engines.seed", 1, Long.MIN_VALUE,
      Long.MAX_VALUE, "seed of that noise");
  public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.millis("synergy.heartbeat.ms", 1_000, 10,
      Long.MAX_VALUE, "interval of the engines' registry heartbeats");
  public static final Setting<Integer> TELEMETRY_BUFFER = Setting.integer("synergy.telemetry.buffer", 100_000, 1,
      10_000_000, "records buffered while Kafka is away");
  public static final Setting<String> ENGINE_BACKEND = Setting.text("synergy.engines.backend", "sim",
      "sim|vllm", "sim or vllm",
      "sim (simulated engines, synergy.engines* keys) or vllm (one vLLM server, synergy.vllm.* keys)");
  public static final Setting<Double> DEFAULT_TTFT = Setting.number("synergy.engines.slo.ttft-ms", 1000, "> 0",
      v -> v > 0, "TTFT target of requests that carry none, ms (what SLO-aware schedulers such as lens protect)");
  public static final Setting<Double> DEFAULT_TPOT = Setting.number("synergy.engines.slo.tpot-ms", 100, "> 0",
      v -> v > 0, "TPOT target of requests that carry none, ms");
  public static final Setting<Recovery> RECOVERY_MODE = Setting.choice("synergy.engines.recovery", Recovery.class,
      Recovery.FAILOVER, "at start, what to do with requests a previous run of the same id left in flight:"
          + " failover (serve them again), reject (report them REJECTED), off");
  public static final Setting<Duration> RECOVERY_LOOKBACK = Setting.millis(
      "synergy.engines.recovery.lookback-ms", 300_000, 1, 604_800_000,
      "how far back that start-up recovery reads the routed and request-event topics");

  /** The connector's own keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(KafkaClientSettings.BOOTSTRAP_SERVERS,
      AvroSerdeConfig.REGISTRY_URL, CONNECTOR, ENGINE_GROUPS, ENGINE_SPEED, BATCH_SCHEDULER, PROFILE_DIR,
      STEP_NOISE, NOISE_SEED, HEARTBEAT_INTERVAL, TELEMETRY_BUFFER, ENGINE_BACKEND, DEFAULT_TTFT, DEFAULT_TPOT,
      RECOVERY_MODE, RECOVERY_LOOKBACK);

  /**
   * Every key an engine-connector process reads (besides {@code kafka.*}): its own and, for the
   * {@code vllm} backend, {@link VllmConfig}'s.
   */
  public static final Settings ALL_SETTINGS = SETTINGS.and(VllmConfig.SETTINGS);

  // The keys as text, for code that writes settings.
  public static final String BOOTSTRAP_SERVERS = KafkaClientSettings.BOOTSTRAP_SERVERS.key();
  public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.REGISTRY_URL.key();
  public static final String CONNECTOR_ID = CONNECTOR.key();
  public static final String ENGINES = ENGINE_GROUPS.key();
  public static final String SPEED = ENGINE_SPEED.key();
  public static final String SCHEDULER = BATCH_SCHEDULER.key();
  public static final String PROFILES = PROFILE_DIR.key();
  public static final String NOISE_SIGMA = STEP_NOISE.key();
  public static final String SEED = NOISE_SEED.key();
  public static final String HEARTBEAT_MS = HEARTBEAT_INTERVAL.key();
  public static final String BUFFER_CAPACITY = TELEMETRY_BUFFER.key();
  public static final String BACKEND = ENGINE_BACKEND.key();
  public static final String SLO_TTFT_MS = DEFAULT_TTFT.key();
  public static final String SLO_TPOT_MS = DEFAULT_TPOT.key();
  public static final String RECOVERY = RECOVERY_MODE.key();
  public static final String RECOVERY_LOOKBACK_MS = RECOVERY_LOOKBACK.key();

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
  }

  /**
   * One engine to run: its id and its hardware, {@code GPU:MODEL:tpN}.
   *
   * @param engineId unique in the cluster
   * @param spec e.g. {@code a100:llama-2-7b:tp1}
   */
  public record EngineSlot(String engineId, String spec) {}

  /**
   * One item of {@code synergy.engines}: {@code count} engines of one hardware.
   *
   * @param spec {@code GPU:MODEL:tpN}
   * @param idStem {@code GPU-MODEL-tpN}, the middle of their engine ids
   * @param count engines of this hardware, in [1, 1024]
   */
  public record EngineGroup(String spec, String idStem, int count) {

    static EngineGroup parse(String text) {
      String item = text;
      int count = 1;
      int star = text.indexOf('*');
      if (star >= 0) {
        try {
          count = Integer.parseInt(text.substring(star + 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("has no whole count");
        }
        item = text.substring(0, star).trim();
      }
      String[] fields = item.split(":");
      if (fields.length != 3 || count < 1 || count > 1024) {
        throw new IllegalArgumentException("is not GPU:MODEL:tpN[*COUNT] with COUNT in [1, 1024]");
      }
      return new EngineGroup(item, String.join("-", fields), count);
    }

    /** As written in {@code synergy.engines}. */
    @Override
    public String toString() {
      return count == 1 ? spec : spec + "*" + count;
    }
  }

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
    String bootstrap = KafkaClientSettings.BOOTSTRAP_SERVERS.read(settings);
    String id = CONNECTOR.read(settings);
    List<EngineSlot> engines = slots(id, ENGINE_GROUPS.read(settings));
    URI registry = AvroSerdeConfig.REGISTRY_URL.read(settings);
    String profiles = PROFILE_DIR.read(settings);
    return new EngineConnectorConfig(
        bootstrap,
        registry == null ? null : registry.toString(),
        id,
        engines,
        ENGINE_SPEED.read(settings),
        BATCH_SCHEDULER.read(settings),
        profiles == null ? null : Path.of(profiles),
        STEP_NOISE.read(settings),
        NOISE_SEED.read(settings),
        HEARTBEAT_INTERVAL.read(settings),
        TELEMETRY_BUFFER.read(settings),
        KafkaClientSettings.fromSettings(settings),
        ENGINE_BACKEND.read(settings),
        DEFAULT_TTFT.read(settings),
        DEFAULT_TPOT.read(settings),
        RECOVERY_MODE.read(settings),
        RECOVERY_LOOKBACK.read(settings));
  }

  private static List<EngineSlot> slots(String connectorId, List<EngineGroup> groups) {
    List<EngineSlot> slots = new ArrayList<>();
    for (EngineGroup group : groups) {
      for (int i = 0; i < group.count(); i++) {
        String engineId = connectorId + "-" + group.idStem() + "-" + slots.size();
        slots.add(new EngineSlot(engineId.toLowerCase(Locale.ROOT), group.spec()));
      }
    }
    return slots;
  }
}
