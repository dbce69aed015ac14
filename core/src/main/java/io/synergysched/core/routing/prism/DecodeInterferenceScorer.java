package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;

/**
 * Harm to the requests already running: the per-token time the new request adds, summed over the
 * engine's decodes, relative to the TPOT target: {@code 1 / (1 + harm / target)}. An engine with
 * many long-running decodes is penalised for a long prefill even if the newcomer itself would do
 * fine there.
 */
public final class DecodeInterferenceScorer implements CandidateScorer {

  public static final String TYPE = "decode-interference";

  private final SloForecaster forecaster;
  private final double defaultTpot;

  public DecodeInterferenceScorer(PluginContext context) {
    this.forecaster = context.shared(SloForecaster.class, () -> new ModelForecaster(context));
    this.defaultTpot = context.number("default-tpot-slo-ms", 100, 0.01, 1e9);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    Forecasts f = forecaster.forecast(request, engines, c);
    double tpot = Double.isNaN(request.sloTpotMs()) ? defaultTpot : request.sloTpotMs();
    for (int k = 0; k < c.size(); k++) {
      double harm = f.harmMs[c.engineAt(k)];
      scores[k] = Double.isNaN(harm) ? 0 : 1 / (1 + Math.max(0, harm) / tpot);
    }
  }
}
