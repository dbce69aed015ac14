package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidatePicker;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * llm-d's {@code max-score-picker}: the highest total score; ties broken uniformly at random (llm-d
 * shuffles the candidates before picking), with a seeded generator ({@code seed}, default 1) so
 * runs repeat.
 */
public final class MaxScorePicker implements CandidatePicker {

  public static final String TYPE = "max-score";

  public static final Settings PARAMETERS = Settings.of(PluginParameters.SEED);
  private final SplittableRandom random;

  public MaxScorePicker(PluginContext context) {
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    double best = Double.NEGATIVE_INFINITY;
    int bestK = 0;
    int ties = 0;
    for (int k = 0; k < c.size(); k++) {
      double t = totals[k];
      if (t > best + 1e-12) {
        best = t;
        bestK = k;
        ties = 1;
      } else if (Math.abs(t - best) <= 1e-12) {
        // Reservoir sampling over the tied candidates: uniform without a second pass.
        ties++;
        if (random.nextInt(ties) == 0) {
          bestK = k;
        }
      }
    }
    return c.engineAt(bestK);
  }
}
