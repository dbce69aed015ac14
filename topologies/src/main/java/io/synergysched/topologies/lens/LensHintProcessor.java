package io.synergysched.topologies.lens;

import io.synergysched.runtime.mapping.LensHintMapping;
import io.synergysched.core.lens.LensPlan;
import io.synergysched.core.lens.LensHintPublishPolicy;
import io.synergysched.core.lens.LensPlanner;
import io.synergysched.core.lens.LensScheduler;
import io.synergysched.core.model.MaterialChangePolicy;
import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.LensHint;
import io.synergysched.topologies.DeadLetters;
import io.synergysched.topologies.StoreNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans every LENS engine's hint from the engine's model and status, and publishes it when it
 * changed materially ({@link LensHintPublishPolicy}) or is due for a refresh.
 *
 * <p>Steps arrive from the step-ingest processor (already validated and learned); from them it only
 * keeps a smoothed mean decode context per engine, the load the budget curve is planned for.
 * Planning runs on a wall-clock punctuation every {@code planIntervalMs} over the engines of this
 * task's status store, so an idle but healthy engine's hint is still refreshed before it expires.
 * An engine is planned for when its registry entry says it runs {@code lens}, its heartbeat is
 * younger than the hint TTL, and its model is warm. A retired engine (its registry entry deleted)
 * gets a tombstone on the control topic. The last published hint per engine is kept in a
 * changelogged store, so hint versions keep increasing across restarts and task moves. Hints are
 * stamped with the wall clock (epoch ms): {@code validUntilMs} is an epoch time the engine compares
 * with its own clock.
 */
final class LensHintProcessor implements Processor<String, StepObservation, String, Object> {

  static final String STAGE = "model-trainer/plan-lens-hint";
  private static final Logger LOG = LoggerFactory.getLogger(LensHintProcessor.class);
  /** Weight of a new step in the smoothed decode context. */
  private static final double CONTEXT_SMOOTHING = 0.02;

  private final LensHintTopologyConfig config;
  private final StepLatencyModelConfig modelConfig;
  private final MaterialChangePolicy modelChange;
  private final String controlSink;
  private final String deadLetterSink;
  private final LensPlanner planner;
  private final Map<String, Double> meanDecodeContext = new HashMap<>();
  /** The model state each engine's published hint was planned from (this instance's). */
  private final Map<String, StepLatencyModelState> plannedFrom = new HashMap<>();
  /** Last planning failure per engine, so one cause is dead-lettered once, not every round. */
  private final Map<String, String> lastFailure = new HashMap<>();

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, StepLatencyModelState> models;
  private KeyValueStore<String, EngineStatus> statuses;
  private KeyValueStore<String, EngineDescriptor> registry;
  private KeyValueStore<String, LensHint> hints;

  LensHintProcessor(LensHintTopologyConfig config, StepLatencyModelConfig modelConfig,
      MaterialChangePolicy modelChange, String controlSink, String deadLetterSink) {
    this.config = config;
    this.modelConfig = modelConfig;
    this.modelChange = modelChange;
    this.controlSink = controlSink;
    this.deadLetterSink = deadLetterSink;
    this.planner = new LensPlanner(config.planner());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.models = context.getStateStore(StoreNames.MODELS);
    this.statuses = context.getStateStore(StoreNames.ENGINE_STATUS);
    this.registry = context.getStateStore(StoreNames.ENGINE_REGISTRY);
    this.hints = context.getStateStore(StoreNames.LENS_HINTS);
    context.schedule(Duration.ofMillis(config.planIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::planAll);
  }

  @Override
  public void process(Record<String, StepObservation> record) {
    StepObservation step = record.value();
    if (step.decodeSeqs() > 0) {
      double mean = (double) step.decodeContextSum() / step.decodeSeqs();
      meanDecodeContext.merge(step.engineId(), mean, (old, m) -> old + CONTEXT_SMOOTHING * (m - old));
    }
  }

  /** One planning round over this task's engines. */
  void planAll(long nowMs) {
    try (KeyValueIterator<String, EngineStatus> all = statuses.all()) {
      while (all.hasNext()) {
        KeyValue<String, EngineStatus> entry = all.next();
        planOne(entry.key, entry.value, nowMs);
      }
    }
  }

  private void planOne(String engineId, EngineStatus status, long nowMs) {
    LensHint publishedAvro = hints.get(engineId);
    EngineDescriptor descriptor = registry.get(engineId);
    if (descriptor == null) {
      if (publishedAvro != null) {
        // retired: take its hint off the compacted topic
        hints.delete(engineId);
        plannedFrom.remove(engineId);
        context.forward(new Record<>(engineId, null, nowMs), controlSink);
      }
      return;
    }
    if (!LensScheduler.NAME.equals(descriptor.getScheduler())
        || nowMs - descriptor.getHeartbeatMs() > config.planner().hintTtlMs()) {
      return; // not a LENS engine, or silent: its last hint lapses
    }
    StepLatencyModelState state = models.get(engineId);
    if (state == null || status.kvBlocksTotal() <= 0) {
      return;
    }
    LensPlan published = publishedAvro == null ? null : LensHintMapping.toCore(publishedAvro);
    LensPlan next;
    try {
      if (!StepLatencyModel.fromState(state, modelConfig).isWarm()) {
        return;
      }
      double context = meanDecodeContext.getOrDefault(engineId,
          status.lastDecodeSeqs() > 0 ? (double) status.lastDecodeContextSum() / status.lastDecodeSeqs() : 0);
      next = planner.plan(engineId, EnginePerformancePredictor.of(state, modelConfig), config.tpotTargetMs(),
          context, status.kvBlocksTotal(), Math.max(1, descriptor.getBlockSizeTokens()), nowMs,
          published == null ? 1 : published.hintVersion() + 1);
    } catch (RuntimeException e) {
      String reason = "cannot plan a LENS hint for " + engineId + ": " + e.getMessage();
      if (!reason.equals(lastFailure.put(engineId, reason))) {
        LOG.warn(reason, e);
        context.forward(new Record<>(engineId,
            (Object) DeadLetters.of(null, engineId, null, STAGE, reason, e, nowMs), nowMs), deadLetterSink);
      }
      return;
    }
    lastFailure.remove(engineId);
    StepLatencyModelState from = plannedFrom.get(engineId);
    boolean modelChanged = from == null || modelChange.changedMaterially(from, state);
    String why = config.publishPolicy().reason(published, next, modelChanged, nowMs);
    if (why == null) {
      return;
    }
    LensHint avro = LensHintMapping.toAvro(next);
    hints.put(engineId, avro);
    plannedFrom.put(engineId, state);
    LOG.debug("hint {} v{} for {} (model v{}): {}", why, next.hintVersion(), engineId, next.modelVersion(),
        next);
    context.forward(new Record<>(engineId, (Object) avro, nowMs), controlSink);
  }
}
