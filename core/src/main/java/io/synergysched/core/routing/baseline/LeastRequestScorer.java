package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.EngineView;
import io.synergysched.core.setting.Settings;

/**
 * Fewest outstanding requests (waiting + running) in the polled metrics, min-max normalized: what a
 * metrics-driven least-request balancer sees.
 */
public final class LeastRequestScorer extends PolledLoadScorer {

  public static final String TYPE = "least-request";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  double load(EngineView engine) {
    return engine.waiting() + engine.running();
  }
}
