package io.synergysched.trainer.dashboard;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.runtime.query.EngineSnapshot;

/** An engine's latest measured step next to its model's prediction of that step. */
public final class StepPrediction {

  private StepPrediction() {}

  /** The latest step's measured duration, ms; NaN when the engine has no step yet. */
  public static double measuredMs(EngineSnapshot view) {
    EngineStatus s = view.status();
    return s == null ? Double.NaN : s.lastDurationUs() / 1000.0;
  }

  /**
   * The engine's current model's prediction of its latest step (the batch the status describes),
   * ms; NaN when it has no step or no model yet.
   */
  public static double predictedMs(EngineSnapshot view) {
    EngineStatus s = view.status();
    StepLatencyModelState state = view.decodeModelState();
    if (s == null || state == null) {
      return Double.NaN;
    }
    StepObservation step = new StepObservation(view.engineId(), 0, 0, 1, s.lastPrefillTokens(),
        s.lastPrefillTokens() > 0 ? 1 : 0, (long) s.lastPrefillTokens() * s.lastPrefillTokens(),
        0, 0, s.lastDecodeSeqs(), s.lastDecodeContextSum(), s.kvBlocksUsed(), s.kvBlocksTotal(),
        s.waiting(), s.running(), 0, s.tokenBudget());
    return StepLatencyModel.fromState(state, StepLatencyModelConfig.defaults()).predictUs(step)
        / 1000.0;
  }
}
