package io.synergysched.core.routing;

import java.util.List;

/**
 * Picks the engine for each arriving request. Called once per request, in arrival order, from a
 * single thread; implementations may keep state (e.g. a round-robin cursor) across calls.
 */
public interface Router {

  /** Registry name, kebab-case (e.g. {@code round-robin}). */
  String name();

  /**
   * @param engines every engine of the cluster, in a fixed order, never empty; views are valid
   *     only during this call
   * @return index into {@code engines} of the chosen engine
   */
  int route(RoutingRequest request, List<? extends EngineView> engines);
}
