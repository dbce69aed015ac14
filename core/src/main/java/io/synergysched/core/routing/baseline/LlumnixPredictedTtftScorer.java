package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.ScoreNormalization;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * The selector of Llumnix's slo policy: the instance with the lowest {@code predicted_ttft}
 * ({@link LlumnixInstanceStatus}). Lower prediction scores higher, min-max normalized, so max-score
 * picks the lowest, as Llumnix's {@code metricBasedSelector} (top-k 1) does. An instance without a
 * prediction (no profile for its class) ranks last.
 */
public final class LlumnixPredictedTtftScorer implements CandidateScorer {

  public static final String TYPE = "llumnix-predicted-ttft";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();

  private final LlumnixInstanceStatus status;
  private double[] ttft = new double[16];

  public LlumnixPredictedTtftScorer(PluginContext context) {
    this.status = context.shared(LlumnixInstanceStatus.class, LlumnixInstanceStatus.TYPE);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    int m = c.size();
    if (ttft.length < m) {
      ttft = new double[Math.max(m, ttft.length * 2)];
    }
    double worst = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < m; k++) {
      int engine = c.engineAt(k);
      ttft[k] = status.predictedTtftMs(request, engines.get(engine), engine);
      if (!Double.isNaN(ttft[k])) {
        worst = Math.max(worst, ttft[k]);
      }
    }
    for (int k = 0; k < m; k++) {
      if (Double.isNaN(ttft[k])) {
        ttft[k] = worst == Double.NEGATIVE_INFINITY ? 0 : worst + 1;
      }
    }
    ScoreNormalization.lessIsBetter(ttft, m, scores);
  }
}
