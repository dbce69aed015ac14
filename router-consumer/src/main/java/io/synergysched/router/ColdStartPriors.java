package io.synergysched.router;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.runtime.query.EngineSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The router's cold-start priors: the model-trainer's current model of an engine of each class
 * (GPU, model, tensor parallelism), worth {@value #PSEUDO_OBSERVATIONS} steps, given once before
 * the first request. Waits for a first live engine and a first snapshot, at most {@link #WAIT}
 * for the snapshot; after that the router routes with what it has.
 */
final class ColdStartPriors {

  /** Steps a prior counts for in the router's own model of a class. */
  static final double PSEUDO_OBSERVATIONS = 50;
  /** How long after start-up the router waits for the trainer's first snapshot. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private final long startedAtMs;

  /** @param startedAtMs when the router instance started (epoch ms) */
  ColdStartPriors(long startedAtMs) {
    this.startedAtMs = startedAtMs;
  }

  /**
   * The priors by {@link StepLatencyPrior#classKey}, or empty while the router should wait: no
   * engine is live yet, or no snapshot came and {@link #WAIT} has not passed since start-up.
   *
   * @param snapshot the poller's newest snapshot, or null before the first
   */
  Optional<Map<String, StepLatencyPrior>> whenReady(
      EngineRoster roster, TrainerSnapshotPoller.Snapshot snapshot, long nowMs) {
    if (!roster.anyAvailable()) {
      return Optional.empty();
    }
    if (snapshot == null && nowMs - startedAtMs < WAIT.toMillis()) {
      return Optional.empty();
    }
    return Optional.of(snapshot == null ? new HashMap<>() : of(snapshot, roster));
  }

  /**
   * One prior per class of the roster's engines whose trainer model is warm, from the first such
   * engine of the class in the snapshot; engines the roster does not know are ignored.
   */
  static Map<String, StepLatencyPrior> of(TrainerSnapshotPoller.Snapshot snapshot, EngineRoster roster) {
    Map<String, StepLatencyPrior> priors = new HashMap<>();
    StepLatencyModelConfig modelConfig = StepLatencyModelConfig.defaults();
    for (EngineSnapshot view : snapshot.engines()) {
      LiveEngine engine = roster.engine(view.engineId());
      StepLatencyModelState state = view.decodeModelState();
      if (engine == null || state == null || state.sampleCount() < modelConfig.warmSamples()) {
        continue;
      }
      String key = StepLatencyPrior.classKey(engine.gpu(), engine.model(), engine.tensorParallel());
      priors.computeIfAbsent(key, k -> new StepLatencyPrior(k,
          StepLatencyModel.fromState(state, modelConfig).priorState(k, PSEUDO_OBSERVATIONS),
          PSEUDO_OBSERVATIONS, state.sampleCount(), state.recentR2(), state.recentMape()));
    }
    return priors;
  }
}
