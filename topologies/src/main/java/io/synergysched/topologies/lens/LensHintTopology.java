package io.synergysched.topologies.lens;

import io.synergysched.core.model.MaterialChangePolicy;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.topologies.StoreNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Engine models and status to LENS hints on the compacted control topic.
 *
 * <pre>
 * ingest-step --(valid steps)--> plan-lens-hint --(material change or refresh)--> synergy.control.lens
 *                  [engine-models] [engine-status] [engine-registry] [lens-hints]  \--> synergy.dlq
 * </pre>
 *
 * It lives in the telemetry topology's step sub-topology, because it reads the model and status
 * stores the step processor writes: {@link #addTo} adds the planner below that processor.
 */
public final class LensHintTopology {

  /** The planner node; the step processor forwards every valid step to it. */
  public static final String PLANNER = "plan-lens-hint";
  static final String CONTROL_SINK = "lens-hints-sink";

  private LensHintTopology() {}

  /**
   * Adds the planner, its store and the control-topic sink. The caller adds {@link #PLANNER} to
   * the parents of its dead-letter sink {@code deadLetterSink}.
   *
   * @param stepProcessor node that owns the model and status stores and forwards valid steps
   *     ({@code StepObservation}) to {@link #PLANNER}
   */
  public static void addTo(Topology topology, String stepProcessor, LensHintTopologyConfig config,
      StepLatencyModelConfig modelConfig, MaterialChangePolicy modelChange, SchemaRegistryClient registry,
      String deadLetterSink) {
    SpecificAvroSerde<LensHint> hints = SpecificAvroSerde.forValues(LensHint.class, registry);
    topology.addProcessor(PLANNER,
        () -> new LensHintProcessor(config, modelConfig, modelChange, CONTROL_SINK, deadLetterSink),
        stepProcessor);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.LENS_HINTS), Serdes.String(), hints),
        PLANNER);
    topology.connectProcessorAndStateStores(PLANNER, StoreNames.MODELS, StoreNames.ENGINE_STATUS);
    topology.addSink(CONTROL_SINK, Topics.CONTROL_LENS.name(), new StringSerializer(), hints.serializer(),
        PLANNER);
  }
}
