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
 * The load of Llumnix's load-balance policy (its default, {@code --scheduling-policy load-balance};
 * neutral instances rank by {@code all_prefills_tokens_num}): the uncomputed prompt tokens the
 * instance reported plus the prompts dispatched to it that no report shows yet
 * ({@link LlumnixInstanceStatus}). Lower load scores higher, min-max normalized, so max-score picks
 * the least-loaded instance as Llumnix's {@code metricBasedSelector} (top-k 1) does.
 */
public final class LlumnixFreenessScorer implements CandidateScorer {

  public static final String TYPE = "llumnix-freeness";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();

  private final LlumnixInstanceStatus status;
  private double[] load = new double[16];

  public LlumnixFreenessScorer(PluginContext context) {
    this.status = context.shared(LlumnixInstanceStatus.class, LlumnixInstanceStatus.TYPE);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    int m = c.size();
    if (load.length < m) {
      load = new double[Math.max(m, load.length * 2)];
    }
    for (int k = 0; k < m; k++) {
      load[k] = status.allPrefillTokens(c.engineAt(k));
    }
    ScoreNormalization.lessIsBetter(load, m, scores);
  }
}
