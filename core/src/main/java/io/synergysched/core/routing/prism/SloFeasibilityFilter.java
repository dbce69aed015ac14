package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.CandidateFilter;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * Keeps the engines predicted to meet the request's SLO: TTFT &lt;= {@code ttft-margin} x target and
 * TPOT &lt;= {@code tpot-margin} x target. If none is, it keeps those within the larger of
 * {@code shed-slack} and the margin, times the targets (a prediction that close may still be met, and shedding it is a sure miss); if none
 * is even that close, the set is left empty, which sheds the request under
 * {@code admission = shed} (llm-d's latency-SLO admitter does the same) and restores the set
 * otherwise. Engines without a reliable forecast are always kept. Targets default to
 * {@code default-ttft-slo-ms} / {@code default-tpot-slo-ms} when the request carries none.
 */
public final class SloFeasibilityFilter implements CandidateFilter {

  public static final String TYPE = "slo-feasibility";

  private static final Setting<Double> TTFT_MARGIN = Setting.number("ttft-margin", 1.0, 0.1, 10,
      "an engine is feasible when its predicted TTFT is at most this times the TTFT target");
  private static final Setting<Double> TPOT_MARGIN = Setting.number("tpot-margin", 1.0, 0.1, 10,
      "an engine is feasible when its predicted TPOT is at most this times the TPOT target");
  private static final Setting<Double> SHED_SLACK = Setting.number("shed-slack", 1.5, 0.1, 100,
      "when no engine is feasible, keep those within max(this, the margin) times the targets; none: the set"
          + " is left empty (shed under admission = shed)");
  public static final Settings PARAMETERS = Settings.of(TTFT_MARGIN, TPOT_MARGIN, SHED_SLACK,
      PluginParameters.DEFAULT_TTFT_SLO_MS, PluginParameters.DEFAULT_TPOT_SLO_MS);

  private final SloForecaster forecaster;
  private final double ttftMargin;
  private final double tpotMargin;
  private final double shedSlack;
  private final double defaultTtft;
  private final double defaultTpot;
  private boolean[] keep = new boolean[16];

  public SloFeasibilityFilter(PluginContext context) {
    this.forecaster = context.shared(SloForecaster.class, ModelForecaster.TYPE);
    this.ttftMargin = context.get(TTFT_MARGIN);
    this.tpotMargin = context.get(TPOT_MARGIN);
    this.shedSlack = context.get(SHED_SLACK);
    this.defaultTtft = context.get(PluginParameters.DEFAULT_TTFT_SLO_MS);
    this.defaultTpot = context.get(PluginParameters.DEFAULT_TPOT_SLO_MS);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void filter(RoutingRequest request, List<? extends EngineView> engines, Candidates c) {
    Forecasts f = forecaster.forecast(request, engines, c);
    int m = c.size();
    if (keep.length < m) {
      keep = new boolean[Math.max(m, keep.length * 2)];
    }
    double ttft = Double.isNaN(request.sloTtftMs()) ? defaultTtft : request.sloTtftMs();
    double tpot = Double.isNaN(request.sloTpotMs()) ? defaultTpot : request.sloTpotMs();
    if (mark(f, c, ttft * ttftMargin, tpot * tpotMargin) == 0) {
      mark(f, c, ttft * Math.max(ttftMargin, shedSlack), tpot * Math.max(tpotMargin, shedSlack));
    }
    c.retain(keep);
  }

  private int mark(Forecasts f, Candidates c, double ttftLimit, double tpotLimit) {
    int kept = 0;
    for (int k = 0; k < c.size(); k++) {
      int i = c.engineAt(k);
      keep[k] = !f.reliable[i] || (f.ttftMs[i] <= ttftLimit && f.tpotMs[i] <= tpotLimit);
      kept += keep[k] ? 1 : 0;
    }
    return kept;
  }
}
