package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.ModelStateSerde;
import io.synergysched.runtime.mapping.TelemetryMapping;
import io.synergysched.runtime.records.CheckedRecordReader;
import io.synergysched.runtime.records.StepTelemetryRules;
import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.topologies.DeadLetters;
import io.synergysched.topologies.StoreNames;
import io.synergysched.topologies.lens.LensHintTopology;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One engine step at a time: decode, check {@link StepTelemetryRules} (dead-letter with the reason
 * when it breaks them),
 * teach the engine's model, record the engine's status, and publish a model snapshot when the model
 * changed materially.
 *
 * <p>Live models are kept as objects per task, so a step costs one model update rather than a
 * rebuild; every update is still written to the changelogged store, which stays the truth: a task
 * that moves to another instance, or rolls back an aborted transaction, resumes from exactly the
 * state its committed offsets correspond to.
 */
final class StepIngestProcessor implements Processor<String, byte[], String, Object> {

  static final String STAGE = "model-trainer/ingest-step";

  private final TelemetryTopologyConfig config;
  private final CheckedRecordReader<StepTelemetry, StepObservation> reader;
  private final ModelStateSerde stateSerde = new ModelStateSerde();
  private final Map<String, StepLatencyModel> liveModels = new HashMap<>();
  private final Map<String, StepLatencyModelState> published = new HashMap<>();

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, StepLatencyModelState> models;
  private KeyValueStore<String, EngineStatus> statuses;
  private KeyValueStore<String, EngineDescriptor> registry;

  StepIngestProcessor(TelemetryTopologyConfig config, AvroRecordCodec<StepTelemetry> codec) {
    this.config = config;
    this.reader = CheckedRecordReader.converting(codec, STAGE, "step",
        TelemetryMapping::toObservation, StepTelemetryRules::problem,
        () -> context.currentSystemTimeMs());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.models = context.getStateStore(StoreNames.MODELS);
    this.statuses = context.getStateStore(StoreNames.ENGINE_STATUS);
    this.registry = context.getStateStore(StoreNames.ENGINE_REGISTRY);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    StepObservation step =
        DeadLetters.readOrForward(context, record, reader, TelemetryTopology.DEAD_LETTER_SINK);
    if (step == null) {
      return;
    }
    String engineId = step.engineId();
    StepLatencyModel model = liveModel(engineId);
    model.learn(step);
    StepLatencyModelState state = model.snapshot();
    models.put(engineId, state);

    EngineStatus previous = statuses.get(engineId);
    if (previous == null
        || step.stepIndex() > previous.lastStepIndex()
        || step.startTimeMs() > previous.lastStepStartMs()) {
      statuses.put(engineId, EngineStatus.after(previous, step));
    }
    if (config.lens() != null) {
      context.forward(record.withKey(engineId).withValue(step), LensHintTopology.PLANNER);
    }

    if (config.snapshotPolicy().changedMaterially(published.get(engineId), state)) {
      published.put(engineId, state);
      context.forward(
          record
              .withKey(engineId)
              .withValue(
                  TelemetryMapping.toPerformanceModel(
                      engineId, state, step.stepIndex(), step.startTimeMs(),
                      stateSerde.serialize(null, state))),
          TelemetryTopology.MODELS_SINK);
    }
  }

  /**
   * The engine's model, continuing from the store. The live object is reused only while it is
   * exactly what the store holds: after an aborted transaction or a task migration the store is
   * rolled back to the last commit, and a cached model that learned the aborted steps would learn
   * them twice when they are processed again.
   */
  private StepLatencyModel liveModel(String engineId) {
    StepLatencyModelState stored = models.get(engineId);
    StepLatencyModel cached = liveModels.get(engineId);
    if (cached != null
        && stored != null
        && cached.modelVersion() == stored.modelVersion()
        && cached.sampleCount() == stored.sampleCount()
        && cached.rejectedCount() == stored.rejectedCount()) {
      return cached;
    }
    StepLatencyModel model = stored != null
        ? StepLatencyModel.fromState(stored, config.modelConfig())
        : newModel(engineId);
    liveModels.put(engineId, model);
    return model;
  }

  private StepLatencyModel newModel(String engineId) {
    EngineDescriptor d = registry.get(engineId);
    if (d != null) {
      StepLatencyPrior prior =
          config.priors().get(StepLatencyPrior.classKey(d.getGpu(), d.getModel(), d.getTensorParallel()));
      if (prior != null) {
        return StepLatencyModel.fromPrior(prior, config.modelConfig());
      }
    }
    return StepLatencyModel.cold(config.modelConfig());
  }
}
