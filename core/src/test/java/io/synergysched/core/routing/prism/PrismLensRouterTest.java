package io.synergysched.core.routing.prism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingProfile;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.routing.TestPriors;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PRISM with engines whose scheduler sheds (LENS): KV headroom, rejection feedback, retries. */
class PrismLensRouterTest {

  private static final Map<String, StepLatencyPrior> PRIORS = TestPriors.A100_AND_H100;

  private static ModelForecaster forecaster(Map<String, String> params) {
    Map<String, String> p = new HashMap<>(Map.of("scorers", "slo-headroom:1", "picker", "max-score"));
    p.putAll(params);
    ModelForecaster f = new ModelForecaster(new PluginContext(RoutingProfile.parse("t", p), ModelForecaster.TYPE, Map.of()));
    f.useEngineClassPriors(PRIORS::get);
    return f;
  }

  private static Router router(String name) {
    Router r = RouterRegistry.create(name);
    r.useEngineClassPriors(PRIORS::get);
    return r;
  }

  private static Candidates all(int n) {
    Candidates c = new Candidates();
    c.resetToAll(n);
    return c;
  }

  private static RequestObservation event(String engine, long id, RequestPhase type, double timeMs) {
    return new RequestObservation(engine, id, type, timeMs, 2000, type == RequestPhase.FINISHED ? 200 : 0, 0);
  }

  @Test
  void shouldPreferTheEngineWithMoreKvRoomWhenTheFasterOneIsNearlyFull() {
    TestEngine slow = new TestEngine("slow", "a100");
    TestEngine fast = new TestEngine("fast", "h100");
    List<TestEngine> engines = List.of(slow, fast);
    slow.kvUsed = 2000;
    fast.kvUsed = 6500;
    // prism alone: the fast engine has the most SLO headroom.
    assertEquals(1, router("prism").route(TestEngine.request(0, 0, 1000), engines));
    // prism-lens: both meet the SLO, and the fast one is close to its KV limit.
    assertEquals(0, router("prism-lens").route(TestEngine.request(0, 0, 1000), engines));
  }

  @Test
  void shouldCountRequestsRoutedSinceTheLastVisibleStepInTheKvShare() {
    List<TestEngine> engines = List.of(new TestEngine("e0", "a100"), new TestEngine("e1", "a100"));
    ModelForecaster f = forecaster(Map.of());
    Candidates c = all(2);
    RoutingRequest first = TestEngine.request(0, 0, 4000);
    double before = f.forecast(first, engines, c).kvShare[0];
    f.onRouted(first, 0);
    Forecasts next = f.forecast(TestEngine.request(1, 1, 4000), engines, c);
    // 4,000 tokens routed to e0 since its last report: 250 more blocks of 7,000.
    assertEquals(before + 250.0 / 7000, next.kvShare[0], 1e-9);
    assertEquals(before, next.kvShare[1], 1e-9);
  }

  @Test
  void shouldRaiseTheWaitForecastOfAnEngineThatShedsWhatItWasSent() {
    List<TestEngine> engines = List.of(new TestEngine("e0", "a100"), new TestEngine("e1", "a100"));
    ModelForecaster learning = forecaster(Map.of());
    ModelForecaster blind = forecaster(Map.of("prism-forecaster.reject-feedback", "false"));
    Candidates c = all(2);
    for (ModelForecaster f : List.of(learning, blind)) {
      for (int i = 0; i < 40; i++) {
        RoutingRequest r = TestEngine.request(i, i * 100.0, 2000);
        f.forecast(r, engines, c);
        f.onRouted(r, 0);
        // Each is turned away 600 ms later, before its first token (the TTFT target is 1 s).
        f.onResponse(0, event("e0", i, RequestPhase.REJECTED, i * 100.0 + 600));
      }
      // Then three requests still queued on each engine: the probe waits behind them.
      for (int i = 0; i < 6; i++) {
        RoutingRequest r = TestEngine.request(500 + i, 4990, 2000);
        f.forecast(r, engines, c);
        f.onRouted(r, i % 2);
      }
    }
    RoutingRequest probe = TestEngine.request(1000, 5000, 2000);
    double[] withFeedback = learning.forecast(probe, engines, c).ttftMs.clone();
    double[] without = blind.forecast(probe, engines, c).ttftMs.clone();
    assertTrue(withFeedback[0] > without[0] * 1.5, withFeedback[0] + " vs " + without[0]);
    assertEquals(without[1], withFeedback[1], 1e-9);
  }

  @Test
  void shouldNotSendARetryBackToTheEngineThatShedIt() {
    List<TestEngine> engines = List.of(new TestEngine("fast", "h100"), new TestEngine("slow", "a100"));
    Router r = router("prism-lens");
    RoutingRequest original = TestEngine.request(7, 0, 1000);
    assertEquals(0, r.route(original, engines));
    r.onResponse(0, event("fast", 7, RequestPhase.REJECTED, 100));
    // The retry: same id, at the rejection, with the TTFT budget left.
    RoutingRequest retry = new RoutingRequest(7, 100, 1000, 900, 100, null, new long[0]);
    int chosen = r.route(retry, engines);
    assertNotEquals(0, chosen);
    assertEquals(1, chosen);
    // Once routed elsewhere, the next request is free to use the fast engine again.
    assertEquals(0, r.route(TestEngine.request(8, 200, 1000), engines));
  }
}
