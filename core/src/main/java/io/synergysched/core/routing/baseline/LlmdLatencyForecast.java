package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.RoutingRequest;

/**
 * What llm-d's {@code predicted-latency-producer} writes on each pod for the plugins after it
 * ({@code LatencyPredictionInfo}): predicted TTFT and TPOT, their headroom to the targets, and the
 * requests the router has dispatched to the pod. Implemented by {@link LlmdLatencyPredictor}; tests
 * supply fixed values. Called from the router's thread; engine indices are the router's.
 */
public interface LlmdLatencyForecast {

  /** Predicted TTFT of {@code request} on engine {@code engineIndex}, ms, &gt;= 0. */
  double predictedTtftMs(RoutingRequest request, int engineIndex);

  /** Predicted TPOT of {@code request} on engine {@code engineIndex}, ms per output token, &gt;= 0. */
  double predictedTpotMs(RoutingRequest request, int engineIndex);

  /** TTFT target - predicted TTFT, ms; &gt;= 0 means the prediction meets the target. */
  double ttftHeadroomMs(RoutingRequest request, int engineIndex);

  /** Buffered TPOT target - predicted TPOT, ms; &gt;= 0 means the prediction meets the target. */
  double tpotHeadroomMs(RoutingRequest request, int engineIndex);

  /** Requests the router dispatched to {@code engineIndex} that have not finished, &gt;= 0. */
  int dispatchedRequests(int engineIndex);
}
