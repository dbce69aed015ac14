package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;

/**
 * A PRISM scorer that reads the request's forecast on every candidate. The forecast is computed
 * once per decision by the {@link SloForecaster} the plugins of a profile share, so the scorers
 * of a profile cost one forecast together.
 */
abstract class ForecastScorer implements CandidateScorer {

  private final String type;
  private final SloForecaster forecaster;

  ForecastScorer(String type, PluginContext context) {
    this.type = type;
    this.forecaster = context.shared(SloForecaster.class, ModelForecaster.TYPE);
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final void score(
      RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    score(forecaster.forecast(request, engines, c), request, c, scores);
  }

  /** Scores candidate {@code k} of {@code c} into {@code scores[k]}, from the forecast {@code f}. */
  abstract void score(Forecasts f, RoutingRequest request, Candidates c, double[] scores);
}
