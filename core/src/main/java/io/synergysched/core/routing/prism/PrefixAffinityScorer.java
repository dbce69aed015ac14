package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;

/**
 * Prefix-cache affinity: the share of the prompt expected to hit the engine's prefix cache (from
 * the forecaster's index of the block hashes it routed). The hit also shortens the predicted TTFT,
 * so this scorer only adds the value of keeping a conversation's KV in one place; 0 for requests
 * without block hashes.
 */
public final class PrefixAffinityScorer implements CandidateScorer {

  public static final String TYPE = "prefix-affinity";

  private final SloForecaster forecaster;

  public PrefixAffinityScorer(PluginContext context) {
    this.forecaster = context.shared(SloForecaster.class, () -> new ModelForecaster(context));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    Forecasts f = forecaster.forecast(request, engines, c);
    for (int k = 0; k < c.size(); k++) {
      scores[k] = Math.max(0, Math.min(1, f.cachedShare[c.engineAt(k)]));
    }
  }
}
