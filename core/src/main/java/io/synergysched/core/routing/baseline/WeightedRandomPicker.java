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
 * llm-d's {@code weighted-random-picker} ({@code pkg/epp/framework/plugins/scheduling/picker/
 * weightedrandom}): a candidate with probability proportional to its total score, by A-Res
 * reservoir sampling (key {@code U^(1/score)}, the largest key wins; a score &lt;= 0 gets key 0);
 * uniformly at random when no score is positive. Seeded ({@code seed}).
 */
public final class WeightedRandomPicker implements CandidatePicker {

  public static final String TYPE = "weighted-random";

  public static final Settings PARAMETERS = Settings.of(PluginParameters.SEED);

  /** llm-d replaces a uniform draw of exactly 0 so every positive score gets a positive key. */
  private static final double SMALLEST_DRAW = 1e-10;

  private final SplittableRandom random;

  public WeightedRandomPicker(PluginContext context) {
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    int m = c.size();
    boolean anyPositive = false;
    for (int k = 0; k < m && !anyPositive; k++) {
      anyPositive = totals[k] > 0;
    }
    if (!anyPositive) {
      return c.engineAt(random.nextInt(m));
    }
    double bestKey = -1;
    int best = 0;
    for (int k = 0; k < m; k++) {
      double key = 0;
      if (totals[k] > 0) {
        double u = random.nextDouble();
        key = Math.pow(u == 0 ? SMALLEST_DRAW : u, 1.0 / totals[k]);
      }
      if (key > bestKey) {
        bestKey = key;
        best = k;
      }
    }
    return c.engineAt(best);
  }
}
