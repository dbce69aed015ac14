package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingPlugin;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;

/**
 * Per-candidate predictions for one request, shared by PRISM's filter and scorers (one instance per
 * router, a shared component of its plugins). PRISM's {@link ModelForecaster} predicts from the
 * online performance models and its own ledger; the simulator's oracle supplies one from the
 * ground truth.
 */
public interface SloForecaster extends RoutingPlugin {

  /**
   * Forecasts for every engine in {@code candidates} (engine-indexed arrays of the result; other
   * entries are stale). Memoized per request id: calling again for the same request returns the
   * same object without recomputing. The result is valid until the next request.
   */
  Forecasts forecast(RoutingRequest request, List<? extends EngineView> engines, Candidates candidates);
}
