package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.ScoreNormalization;
import java.util.List;

/**
 * A scorer of one polled load figure per engine, less being better, min-max normalized as llm-d
 * does ({@link ScoreNormalization#lessIsBetter}). Allocation-free once its buffer has grown.
 */
abstract class PolledLoadScorer implements CandidateScorer {

  private double[] load = new double[16];

  /** The engine's load as the polled telemetry shows it, &gt;= 0. */
  abstract double load(EngineView engine);

  @Override
  public final void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c,
      double[] scores) {
    int m = c.size();
    if (load.length < m) {
      load = new double[Math.max(m, load.length * 2)];
    }
    for (int k = 0; k < m; k++) {
      load[k] = load(engines.get(c.engineAt(k)));
    }
    ScoreNormalization.lessIsBetter(load, m, scores);
  }
}
