package io.synergysched.core.routing;

import java.util.List;

/** Scores each candidate; the profile sums the scores times their weights. */
public interface CandidateScorer extends RoutingPlugin {

  /**
   * Writes {@code scores[k]} in [0, 1] (higher is better) for every candidate
   * {@code k < candidates.size()}; {@code candidates} is never empty.
   */
  void score(RoutingRequest request, List<? extends EngineView> engines, Candidates candidates, double[] scores);
}
