package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;

/**
 * Prefix-cache affinity: the share of the prompt expected to hit the engine's prefix cache (from
 * the forecaster's index of the block hashes it routed). The hit also shortens the predicted TTFT,
 * so this scorer only adds the value of keeping a conversation's KV in one place; 0 for requests
 * without block hashes.
 */
public final class PrefixAffinityScorer extends ForecastScorer {

  public static final String TYPE = "prefix-affinity";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();


  public PrefixAffinityScorer(PluginContext context) {
    super(TYPE, context);
  }

  @Override
  void score(Forecasts f, RoutingRequest request, Candidates c, double[] scores) {
    for (int k = 0; k < c.size(); k++) {
      scores[k] = Math.max(0, Math.min(1, f.cachedShare[c.engineAt(k)]));
    }
  }
}
