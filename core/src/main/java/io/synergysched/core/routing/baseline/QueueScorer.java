package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;

/**
 * llm-d's {@code queue-scorer}: the polled waiting-queue size, min-max normalized (shortest 1,
 * longest 0, all equal 1). Sees only polled telemetry.
 */
public final class QueueScorer implements CandidateScorer {

  public static final String TYPE = "queue";
  private double[] load = new double[16];

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
      load[k] = engines.get(c.engineAt(k)).waiting();
    }
    ScoreNormalization.lessIsBetter(load, m, scores);
  }
}
