package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;

/**
 * Fewest outstanding requests (waiting + running) in the polled metrics, min-max normalized: what a
 * metrics-driven least-request balancer sees.
 */
public final class LeastRequestScorer implements CandidateScorer {

  public static final String TYPE = "least-request";
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
      EngineView e = engines.get(c.engineAt(k));
      load[k] = e.waiting() + e.running();
    }
    ScoreNormalization.lessIsBetter(load, m, scores);
  }
}
