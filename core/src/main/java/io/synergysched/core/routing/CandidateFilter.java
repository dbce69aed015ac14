package io.synergysched.core.routing;

import java.util.List;

/** Narrows the candidates (for example to engines predicted to meet the SLO). */
public interface CandidateFilter extends RoutingPlugin {

  /**
   * Removes candidates that must not serve {@code request}. May leave the set empty; the profile
   * then either sheds the request (if its admission says so) or restores the set before this
   * filter.
   */
  void filter(RoutingRequest request, List<? extends EngineView> engines, Candidates candidates);
}
