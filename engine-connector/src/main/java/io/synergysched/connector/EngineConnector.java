package io.synergysched.connector;

import io.synergysched.connector.sim.SimulatedEngineBackend;
import io.synergysched.core.lens.LatestLensHint;
import io.synergysched.core.lens.LensPlan;
import io.synergysched.core.lens.LensScheduler;
import io.synergysched.core.lens.LensSchedulerConfig;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.scheduling.BatchScheduler;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerEnvironment;
import io.synergysched.simulator.cluster.OfflinePriorCatalog;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine-connector process: runs its engines, feeds them the requests routed to them,
 * publishes their telemetry and request events, and keeps their registry entries alive with
 * heartbeats. {@link #stopEngine} stops one engine (its heartbeats stop and its registry entry is
 * retired); {@link #close()} stops everything.
 */
public final class EngineConnector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnector.class);

  private final Map<String, EngineBackend> engines = new LinkedHashMap<>();
  /** Every engine this process ever ran, stopped ones too: their requests are still answered. */
  private final Map<String, EngineBackend> owned = new java.util.concurrent.ConcurrentHashMap<>();
  private final KafkaEventPublisher publisher;
  private final RoutedRequestReader reader;
  private final Thread readerThread;
  private final ScheduledExecutorService heartbeats;
  private final LensHintReader hintReader;
  private final Thread hintThread;

  private EngineConnector(EngineConnectorConfig config, List<EngineBackend> backends) {
    SchemaRegistryClient registry =
        config.schemaRegistryUrl() == null
            ? null
            : new SchemaRegistryClient(AvroSerdeConfig.withRegistry(config.schemaRegistryUrl()));
    Properties client = new Properties();
    client.putAll(config.kafka());
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    publisher = new KafkaEventPublisher(client, registry, config.bufferCapacity());
    for (EngineBackend backend : backends) {
      engines.put(backend.engineId(), backend);
      owned.put(backend.engineId(), backend);
      backend.start(publisher);
    }
    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "engine-heartbeats");
      t.setDaemon(true);
      return t;
    });
    heartbeats.scheduleAtFixedRate(
        this::beat, 0, config.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    reader = new RoutedRequestReader(
        client, readerGroupId(config.connectorId()), registry,
        owned::get, publisher, System::currentTimeMillis, owned.keySet(), config.recovery(),
        config.recoveryLookback());
    readerThread = new Thread(reader, "routed-request-reader");
    readerThread.start();
    hintReader = new LensHintReader(client, registry, owned::get, publisher, System::currentTimeMillis);
    hintThread = new Thread(hintReader, "lens-hint-reader");
    hintThread.setDaemon(true);
    hintThread.start();
    LOG.info("engine-connector {} runs engines {}", config.connectorId(), engines.keySet());
  }

  /** The consumer group in which connector {@code connectorId} reads the routed requests. */
  public static String readerGroupId(String connectorId) {
    return "synergy-engine-connector-" + connectorId;
  }

  /** Starts a connector with the simulated engines its configuration names. */
  public static EngineConnector start(EngineConnectorConfig config) {
    ProfileDirectory profiles =
        config.profiles() == null ? ProfileDirectory.shared() : new ProfileDirectory(config.profiles());
    Map<String, ProfiledStepLatency> bySpec = new LinkedHashMap<>();
    Map<String, StepLatencyPrior> priors = new LinkedHashMap<>();
    boolean lens = BatchSchedulerRegistry.LENS.equals(config.scheduler());
    List<EngineBackend> backends = new ArrayList<>();
    int index = 0;
    for (EngineConnectorConfig.EngineSlot slot : config.engines()) {
      ProfiledStepLatency latency = bySpec.computeIfAbsent(slot.spec(),
          spec -> ProfiledStepLatency.load(profiles, EngineSpec.parse(spec), ProfileOptions.DEFAULT));
      EngineConfig engine = EngineConfig.defaults(slot.engineId())
          .withNoise(config.noiseSigma(), config.seed() * 1_000_003L + index++);
      if (lens) {
        // LENS applies the model-trainer's hints from the control topic and learns its own engine's
        // model, from the class prior, for its per-step predictions.
        String classKey = StepLatencyPrior.classKey(
            latency.spec().gpu(), latency.spec().model(), latency.spec().tensorParallel());
        StepLatencyPrior prior = priors.computeIfAbsent(classKey, k -> OfflinePriorCatalog.fit(k, latency));
        LatestLensHint hints = new LatestLensHint();
        BatchScheduler scheduler = LensScheduler.learning(
            new SchedulerEnvironment(slot.engineId(), config.sloTtftMs(), config.sloTpotMs(), prior, 0),
            LensSchedulerConfig.defaults(), hints, StepLatencyModelConfig.defaults());
        backends.add(new SimulatedEngineBackend(
            engine, latency, scheduler, hints, config.speed(), System::currentTimeMillis));
      } else {
        backends.add(new SimulatedEngineBackend(
            engine, latency,
            BatchSchedulerRegistry.create(config.scheduler(), new SchedulerEnvironment(
                slot.engineId(), config.sloTtftMs(), config.sloTpotMs(), null, 0)),
            config.speed(), System::currentTimeMillis));
      }
    }
    return new EngineConnector(config, backends);
  }

  /** Starts a connector with the given backends (for example vLLM servers). */
  public static EngineConnector start(EngineConnectorConfig config, List<EngineBackend> backends) {
    return new EngineConnector(config, backends);
  }

  /** The engines this process runs, by id, in configuration order. */
  public synchronized Map<String, EngineBackend> engines() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(engines));
  }

  public KafkaEventPublisher publisher() {
    return publisher;
  }

  /** True once the connector reads the routed-requests topic (its group has its partitions). */
  public boolean isReading() {
    return reader.isReading();
  }

  /** Routed requests handed to engines so far. */
  public long delivered() {
    return reader.delivered();
  }

  /**
   * Requests a previous run of this connector id left in flight (handed to its engines, never
   * ended) that this run failed over or reported REJECTED at start-up, per {@code
   * synergy.engines.recovery}; -1 until the start-up recovery has run (or when no previous run
   * had read anything).
   */
  public long recoveredInFlight() {
    InFlightRecovery.Result r = reader.recovered();
    return r == null ? -1 : r.inFlight().size();
  }

  /** How long the start-up recovery took, ms; -1 until it has run. */
  public long recoveryMs() {
    InFlightRecovery.Result r = reader.recovered();
    return r == null ? -1 : r.tookMs();
  }

  /** Routed records dead-lettered so far. */
  public long deadLettered() {
    return reader.deadLettered();
  }

  /** True once the connector reads the LENS control topic. */
  public boolean isReadingHints() {
    return hintReader.isReading();
  }

  /** LENS hints an engine of this process took from the control topic so far. */
  public long hintsApplied() {
    return hintReader.applied();
  }

  /** Control-topic records dead-lettered so far (undecodable, invalid, key not the engine). */
  public long hintsDeadLettered() {
    return hintReader.deadLettered();
  }

  /**
   * The LENS hint each running engine's latest step applied, by engine id; engines running on
   * their defaults (or not LENS engines) are absent. The same version is on every step the engine
   * publishes ({@code StepTelemetry.lensHintVersion}, -1 on defaults).
   */
  public synchronized Map<String, LensPlan> appliedHints() {
    Map<String, LensPlan> applied = new LinkedHashMap<>();
    engines.forEach((id, backend) -> {
      LensPlan hint = backend.appliedHint();
      if (hint != null) {
        applied.put(id, hint);
      }
    });
    return applied;
  }

  /**
   * Stops one engine: its in-flight requests are reported REJECTED, its heartbeats stop and its
   * registry entry is retired, so routers stop sending to it; a request routed to it meanwhile is
   * reported REJECTED too.
   */
  public synchronized void stopEngine(String engineId) {
    EngineBackend backend = engines.remove(engineId);
    if (backend != null) {
      backend.close();
      publisher.retire(engineId);
    }
  }

  private synchronized void beat() {
    long now = System.currentTimeMillis();
    for (EngineBackend backend : engines.values()) {
      if (backend.isHealthy()) {
        publisher.heartbeat(backend.descriptor(now));
      }
    }
  }

  /**
   * For fault tests: dies like a killed process (SIGKILL). Nothing more is published (what the
   * publisher buffered is discarded: no REJECTED event, no registry tombstone), the reader commits
   * no further offset, heartbeats stop and the engines stop without reporting. A new connector
   * with the same id then finds the in-flight requests at start-up. {@link #close()} afterwards
   * does nothing more.
   */
  public void crash() {
    reader.crash();
    publisher.crash();
    stopThreads();
    synchronized (this) {
      engines.values().forEach(EngineBackend::close); // their REJECTED events are dropped
      engines.clear();
    }
  }

  @Override
  public void close() {
    reader.stop();
    stopThreads();
    for (String engineId : List.copyOf(engines.keySet())) {
      stopEngine(engineId);
    }
    publisher.close(Duration.ofSeconds(10));
  }

  /** Stops the heartbeats and the hint reader, and waits for both readers' threads to end. */
  private void stopThreads() {
    heartbeats.shutdownNow();
    hintReader.stop();
    try {
      readerThread.join(Duration.ofSeconds(10).toMillis());
      hintThread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
