package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.ModelStateSerde;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.PerformanceModel;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.SloWindow;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.topologies.StoreNames;
import io.synergysched.topologies.lens.LensHintTopology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Engine telemetry in, per-engine models and state out.
 *
 * <pre>
 * synergy.engine.steps ---> ingest-step ---> [engine-models] [engine-status]
 *                                |  \-----> synergy.models (snapshot on material change)
 *                                \--------> synergy.dlq (undecodable or implausible)
 * synergy.engine.requests -> ingest-request-event -> [engine-slo-windows] -> synergy.slo.windows
 *                                \--------> synergy.dlq
 * synergy.engine.registry -> global [engine-registry] (picks the cold-start prior)
 * ingest-step -> plan-lens-hint -> synergy.control.lens      (when LENS is configured: LensHintTopology)
 * </pre>
 *
 * The engine stores are cached (Processor API stores are not by default): an engine steps every
 * few tens of milliseconds, so the record cache keeps one serialized value per engine and writes
 * only the latest to RocksDB and the changelog when the task commits, instead of a few KB of model
 * state (and the status) per step, each twice (RocksDB and the changelog). Interactive queries read through the cache, so they see every step
 * as soon as it is processed; the changelog still holds, at every commit, exactly the state the
 * committed offsets correspond to.
 *
 * <p>Values are read as bytes and decoded inside the processors, so a record that cannot be decoded is
 * dead-lettered with its coordinates instead of stopping the stream. {@link #build} only describes
 * the topology; it starts nothing.
 */
public final class TelemetryTopology {

  static final String STEPS_SOURCE = "steps-source";
  static final String REQUESTS_SOURCE = "request-events-source";
  static final String REGISTRY_SOURCE = "registry-source";
  static final String STEP_PROCESSOR = "ingest-step";
  static final String REQUEST_PROCESSOR = "ingest-request-event";
  static final String REGISTRY_PROCESSOR = "update-registry";
  static final String MODELS_SINK = "models-sink";
  static final String SLO_WINDOWS_SINK = "slo-windows-sink";
  static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private TelemetryTopology() {}

  /**
   * @param config topology settings
   * @param registry schema registry client shared by the serdes, or null for single-object encoding
   */
  public static Topology build(TelemetryTopologyConfig config, SchemaRegistryClient registry) {
    var stepCodec = new AvroRecordCodec<>(StepTelemetry.class, registry);
    var requestCodec = new AvroRecordCodec<>(RequestEvent.class, registry);
    var registryCodec = new AvroRecordCodec<>(EngineDescriptor.class, registry);
    var models = SpecificAvroSerde.forValues(PerformanceModel.class, registry);
    var windows = SpecificAvroSerde.forValues(SloWindow.class, registry);
    var deadLetters = SpecificAvroSerde.forValues(DeadLetter.class, registry);

    Topology topology = new Topology();
    topology.addSource(
        STEPS_SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        Topics.ENGINE_STEPS.name());
    topology.addProcessor(
        STEP_PROCESSOR, () -> new StepIngestProcessor(config, stepCodec), STEPS_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.MODELS), Serdes.String(), new ModelStateSerde())
            .withCachingEnabled(),
        STEP_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.ENGINE_STATUS),
                Serdes.String(),
                new EngineStatusSerde())
            .withCachingEnabled(),
        STEP_PROCESSOR);

    topology.addSource(
        REQUESTS_SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        Topics.ENGINE_REQUESTS.name());
    topology.addProcessor(
        REQUEST_PROCESSOR, () -> new RequestEventProcessor(config, requestCodec), REQUESTS_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.SLO_WINDOWS),
            Serdes.String(),
            new SloTallySerde()),
        REQUEST_PROCESSOR);

    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StoreNames.ENGINE_REGISTRY),
                Serdes.String(),
                SpecificAvroSerde.forValues(EngineDescriptor.class, registry))
            .withLoggingDisabled(),
        REGISTRY_SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        Topics.ENGINE_REGISTRY.name(),
        REGISTRY_PROCESSOR,
        () -> new RegistryStoreUpdater(registryCodec));

    topology.addSink(
        MODELS_SINK, Topics.MODELS.name(), new StringSerializer(), models.serializer(),
        STEP_PROCESSOR);
    topology.addSink(
        SLO_WINDOWS_SINK, Topics.SLO_WINDOWS.name(), new StringSerializer(), windows.serializer(),
        REQUEST_PROCESSOR);
    if (config.lens() != null) {
      LensHintTopology.addTo(topology, STEP_PROCESSOR, config.lens(), config.modelConfig(),
          config.snapshotPolicy(), registry, DEAD_LETTER_SINK);
    }
    topology.addSink(
        DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), new StringSerializer(),
        deadLetters.serializer(),
        config.lens() == null
            ? new String[] {STEP_PROCESSOR, REQUEST_PROCESSOR}
            : new String[] {STEP_PROCESSOR, REQUEST_PROCESSOR, LensHintTopology.PLANNER});
    return topology;
  }
}
