package io.synergysched.core.lens;

import io.synergysched.core.model.predict.EnginePerformancePredictor;

/**
 * The control plane's share of LENS, run beside one engine: every {@code intervalMs} it plans a
 * hint from the engine's current model and publishes it on a {@link DelayedLensHintFeed}, which
 * delivers it after the feed's delay. In a deployment the same planning runs in the hint topology
 * on the trainer's copy of the model; here it plans from the engine's own copy, which has learned
 * from the same steps. Single-threaded.
 */
final class LensPlanningLoop {

  private final LensPlanner planner;
  private final DelayedLensHintFeed feed;
  private final String engineId;
  private final double tpotTargetMs;
  private final double intervalMs;
  private double nextPlanMs = Double.NEGATIVE_INFINITY;
  private long version;

  LensPlanningLoop(LensPlanner planner, DelayedLensHintFeed feed, String engineId, double tpotTargetMs,
      double intervalMs) {
    this.planner = planner;
    this.feed = feed;
    this.engineId = engineId;
    this.tpotTargetMs = tpotTargetMs;
    this.intervalMs = intervalMs;
  }

  void maybePlan(double nowMs, EnginePerformancePredictor predictor, double meanDecodeContext, int kvBlocksTotal,
      int blockSize) {
    if (nowMs < nextPlanMs || kvBlocksTotal <= 0) {
      return;
    }
    nextPlanMs = nowMs + intervalMs;
    LensPlan hint = planner.plan(engineId, predictor, tpotTargetMs, meanDecodeContext, kvBlocksTotal, blockSize,
        (long) Math.floor(nowMs), ++version);
    feed.publish(hint, nowMs);
  }
}
