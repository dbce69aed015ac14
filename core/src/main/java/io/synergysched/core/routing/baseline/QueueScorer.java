package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.EngineView;
import io.synergysched.core.setting.Settings;

/**
 * llm-d's {@code queue-scorer}: the polled waiting-queue size, min-max normalized (shortest 1,
 * longest 0, all equal 1). Sees only polled telemetry.
 */
public final class QueueScorer extends PolledLoadScorer {

  public static final String TYPE = "queue";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  double load(EngineView engine) {
    return engine.waiting();
  }
}
