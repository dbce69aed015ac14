package io.synergysched.core.routing;

import java.util.List;

/** Chooses one candidate from the weighted total scores. */
public interface CandidatePicker extends RoutingPlugin {

  /**
   * @param totals weighted score sum of candidate {@code k} at index {@code k}
   * @return engine index (not candidate index) of the chosen engine; {@code candidates} is never empty
   */
  int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates candidates, double[] totals);
}
