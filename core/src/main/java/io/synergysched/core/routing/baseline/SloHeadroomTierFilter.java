package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateFilter;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * llm-d's {@code slo-headroom-tier-filter} ({@code pkg/epp/framework/plugins/scheduling/filter/
 * sloheadroomtier}): splits the candidates into a positive tier (predicted TTFT and TPOT headroom
 * both &gt;= 0, from the shared {@link LlmdLatencyPredictor}) and a negative tier; when both exist it
 * keeps the positive one, except with probability {@code epsilon-explore-neg} (1%) the negative one,
 * so pods recovering from overload still get traffic; when one exists it keeps that one. Never
 * empties the set. (llm-d keeps all when no pod has a prediction; the predictor here always
 * answers, with its default model before the first fit.)
 */
public final class SloHeadroomTierFilter implements CandidateFilter {

  public static final String TYPE = "slo-headroom-tier";

  private static final Setting<Double> EPSILON = Setting.number("epsilon-explore-neg", 0.01, 0, 1,
      "probability of keeping the negative tier when both tiers have pods (llm-d's epsilonExploreNeg)");
  public static final Settings PARAMETERS = Settings.of(EPSILON, PluginParameters.SEED);

  private final double epsilon;
  private final SplittableRandom random;
  private final LlmdLatencyForecast predictor;
  private boolean[] positive = new boolean[16];

  public SloHeadroomTierFilter(PluginContext context) {
    this.epsilon = context.get(EPSILON);
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
    this.predictor = context.shared(LlmdLatencyForecast.class, LlmdLatencyPredictor.TYPE);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void filter(RoutingRequest request, List<? extends EngineView> engines, Candidates c) {
    int m = c.size();
    if (m <= 1) {
      return;
    }
    if (positive.length < m) {
      positive = new boolean[Math.max(m, positive.length * 2)];
    }
    int positives = 0;
    for (int k = 0; k < m; k++) {
      int engine = c.engineAt(k);
      positive[k] = predictor.ttftHeadroomMs(request, engine) >= 0 && predictor.tpotHeadroomMs(request, engine) >= 0;
      positives += positive[k] ? 1 : 0;
    }
    if (positives == 0 || positives == m) {
      return;
    }
    if (random.nextDouble() < epsilon) {
      for (int k = 0; k < m; k++) {
        positive[k] = !positive[k];
      }
    }
    c.retain(positive);
  }
}
