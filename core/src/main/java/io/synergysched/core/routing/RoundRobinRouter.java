package io.synergysched.core.routing;

import java.util.List;

/** Cycles through the engines regardless of their state: the baseline every policy must beat. */
public final class RoundRobinRouter implements Router {

  private int next;

  @Override
  public String name() {
    return RouterRegistry.ROUND_ROBIN;
  }

  @Override
  public int route(RoutingRequest request, List<? extends EngineView> engines) {
    int chosen = next % engines.size();
    next = chosen + 1;
    return chosen;
  }
}
