package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;

/**
 * Keeps fast engines' capacity for the requests that need it: among the candidates left (after the
 * feasibility filter, so only engines predicted to meet this request's SLO), the slower an engine
 * (its reference decode step, from its own model), the higher the score: {@code (step - fastest) /
 * (slowest - fastest)}. A request that only a fast engine can serve has only fast candidates left;
 * one that a slow engine serves within its SLO leaves the fast engine free. All equal (homogeneous
 * cluster) scores 1 everywhere, i.e. the scorer is neutral there.
 */
public final class FastEngineReserveScorer extends ForecastScorer {

  public static final String TYPE = "fast-engine-reserve";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();


  public FastEngineReserveScorer(PluginContext context) {
    super(TYPE, context);
  }

  @Override
  void score(Forecasts f, RoutingRequest request, Candidates c, double[] scores) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < c.size(); k++) {
      double s = f.referenceStepMs[c.engineAt(k)];
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    // Differences under 5% are model noise between engines of one class, not a speed class.
    boolean flat = !(max > min * 1.05);
    for (int k = 0; k < c.size(); k++) {
      scores[k] = flat ? 1.0 : (f.referenceStepMs[c.engineAt(k)] - min) / (max - min);
    }
  }
}
