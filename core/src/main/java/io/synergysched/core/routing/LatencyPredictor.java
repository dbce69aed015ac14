package io.synergysched.core.routing;

import java.util.List;

/**
 * Predicted latency of a request on an engine, for the plugins that judge a request against its
 * SLO without PRISM's forecaster (llm-d's {@code latency-slo-admitter} and the predicted-latency
 * profile's filter and scorer). A shared component: one instance per router, registered as a
 * {@link RoutingPluginRegistry.Kind#SHARED_COMPONENT}, obtained with
 * {@code context.shared(LatencyPredictor.class, TYPE)} so every plugin of a router reads the same
 * one; it gets the router's callbacks (telemetry, responses, outcomes) to learn from. Called from
 * the router's single thread.
 */
public interface LatencyPredictor extends RoutingPlugin {

  /**
   * Predicted time to first token of {@code request} on engine {@code engineIndex}, ms, &gt;= 0;
   * infinite when the engine cannot serve it; NaN when the predictor has no prediction for that
   * engine yet (no model, no data), which readers treat as "unknown", never as a miss. May be
   * called several times per decision; implementations may memoize per request and decision time.
   */
  double ttftMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex);

  /** Predicted mean time per output token of {@code request} there, ms, with the same conventions. */
  double tpotMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex);
}
