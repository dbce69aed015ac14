package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.RoutingRequest;
import java.util.Map;

/** Hand-written headrooms per engine, for the tests of the llm-d predicted-latency plugins. */
final class FixedLlmdForecast implements LlmdLatencyForecast {

  private final double[] ttftHeadroom;
  private final double[] tpotHeadroom;
  private final int[] dispatched;

  FixedLlmdForecast(double[] ttftHeadroom, double[] tpotHeadroom, int[] dispatched) {
    this.ttftHeadroom = ttftHeadroom;
    this.tpotHeadroom = tpotHeadroom;
    this.dispatched = dispatched;
  }

  Map<Class<?>, Object> shared() {
    return Map.of(LlmdLatencyForecast.class, this);
  }

  @Override
  public double predictedTtftMs(RoutingRequest request, int engineIndex) {
    return request.sloTtftMs() - ttftHeadroom[engineIndex];
  }

  @Override
  public double predictedTpotMs(RoutingRequest request, int engineIndex) {
    return request.sloTpotMs() - tpotHeadroom[engineIndex];
  }

  @Override
  public double ttftHeadroomMs(RoutingRequest request, int engineIndex) {
    return ttftHeadroom[engineIndex];
  }

  @Override
  public double tpotHeadroomMs(RoutingRequest request, int engineIndex) {
    return tpotHeadroom[engineIndex];
  }

  @Override
  public int dispatchedRequests(int engineIndex) {
    return dispatched[engineIndex];
  }
}
