package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.EngineView;

/**
 * llm-d's {@code queue-scorer}: the polled waiting-queue size, min-max normalized (shortest 1,
 * longest 0, all equal 1). Sees only polled telemetry.
 */
public final class QueueScorer extends PolledLoadScorer {

  public static final String TYPE = "queue";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  double load(EngineView engine) {
    return engine.waiting();
  }
}
