package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.ScoreNormalization;
import io.synergysched.core.setting.Settings;

/**
 * Predicted SLO headroom: {@code h = min(1 - TTFT/target, 1 - TPOT/target)}, the slack of the
 * tighter of the two, mapped to a score by {@code (1 + h) / 2} clipped to [0, 1] (absolute, not
 * min-max: two engines both far inside the SLO should not look far apart). If any candidate has no
 * reliable forecast (cold start without a prior), every candidate is scored by the router's own
 * in-flight count instead, min-max normalized (least-request-local).
 */
public final class SloHeadroomScorer extends ForecastScorer {

  public static final String TYPE = "slo-headroom";

  public static final Settings PARAMETERS = Settings.of(
      PluginParameters.DEFAULT_TTFT_SLO_MS, PluginParameters.DEFAULT_TPOT_SLO_MS);

  private final double defaultTtft;
  private final double defaultTpot;
  private double[] load = new double[16];

  public SloHeadroomScorer(PluginContext context) {
    super(TYPE, context);
    this.defaultTtft = context.get(PluginParameters.DEFAULT_TTFT_SLO_MS);
    this.defaultTpot = context.get(PluginParameters.DEFAULT_TPOT_SLO_MS);
  }

  @Override
  void score(Forecasts f, RoutingRequest request, Candidates c, double[] scores) {
    int m = c.size();
    boolean cold = false;
    for (int k = 0; k < m; k++) {
      cold |= !f.reliable[c.engineAt(k)];
    }
    if (cold) {
      if (load.length < m) {
        load = new double[Math.max(m, load.length * 2)];
      }
      for (int k = 0; k < m; k++) {
        load[k] = f.inFlight[c.engineAt(k)];
      }
      ScoreNormalization.lessIsBetter(load, m, scores);
      return;
    }
    double ttft = Double.isNaN(request.sloTtftMs()) ? defaultTtft : request.sloTtftMs();
    double tpot = Double.isNaN(request.sloTpotMs()) ? defaultTpot : request.sloTpotMs();
    for (int k = 0; k < m; k++) {
      int i = c.engineAt(k);
      double h = Math.min(1 - f.ttftMs[i] / ttft, 1 - f.tpotMs[i] / tpot);
      scores[k] = Double.isNaN(h) ? 0 : Math.max(0, Math.min(1, (1 + h) / 2));
    }
  }
}
