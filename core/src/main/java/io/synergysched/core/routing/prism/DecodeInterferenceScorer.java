package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;

/**
 * Harm to the requests already running: the per-token time the new request adds, summed over the
 * engine's decodes, relative to the TPOT target: {@code 1 / (1 + harm / target)}. An engine with
 * many long-running decodes is penalised for a long prefill even if the newcomer itself would do
 * fine there.
 */
public final class DecodeInterferenceScorer extends ForecastScorer {

  public static final String TYPE = "decode-interference";

  public static final Settings PARAMETERS = Settings.of(PluginParameters.DEFAULT_TPOT_SLO_MS);

  private final double defaultTpot;

  public DecodeInterferenceScorer(PluginContext context) {
    super(TYPE, context);
    this.defaultTpot = context.get(PluginParameters.DEFAULT_TPOT_SLO_MS);
  }

  @Override
  void score(Forecasts f, RoutingRequest request, Candidates c, double[] scores) {
    double tpot = Double.isNaN(request.sloTpotMs()) ? defaultTpot : request.sloTpotMs();
    for (int k = 0; k < c.size(); k++) {
      double harm = f.harmMs[c.engineAt(k)];
      scores[k] = Double.isNaN(harm) ? 0 : 1 / (1 + Math.max(0, harm) / tpot);
    }
  }
}
