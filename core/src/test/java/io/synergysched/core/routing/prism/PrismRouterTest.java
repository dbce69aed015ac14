package io.synergysched.core.routing.prism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.ProfileRouter;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingProfile;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.routing.TestPriors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrismRouterTest {

  private static final Map<String, StepLatencyPrior> PRIORS = TestPriors.A100_AND_H100;

  private static Router prism() {
    Router r = RouterRegistry.create("prism");
    r.useEngineClassPriors(PRIORS::get);
    return r;
  }

  @Test
  void shouldSpreadABurstWhenTelemetryHasNotMovedYet() {
    List<TestEngine> engines = List.of(new TestEngine("e0", "a100"), new TestEngine("e1", "a100"),
        new TestEngine("e2", "a100"), new TestEngine("e3", "a100"));
    Router r = prism();
    int[] counts = new int[4];
    for (int i = 0; i < 8; i++) {
      counts[r.route(TestEngine.request(i, i, 2000), engines)]++;
    }
    for (int c : counts) {
      assertEquals(2, c, java.util.Arrays.toString(counts));
    }
  }

  @Test
  void shouldShedWhenEveryEngineIsPredictedToMissTheSlo() {
    List<TestEngine> engines = List.of(new TestEngine("e0", "a100"), new TestEngine("e1", "a100"));
    Router r = prism();
    int shed = 0;
    int routed = 0;
    for (int i = 0; i < 200; i++) {
      int chosen = r.route(TestEngine.request(i, i * 0.1, 4000), engines);
      if (chosen == Router.SHED) {
        shed++;
      } else {
        routed++;
      }
    }
    assertTrue(shed > 100, "shed " + shed);
    assertTrue(routed >= 2, "the first requests are still served, routed " + routed);
  }

  @Test
  void shouldKeepTheFastEngineFreeWhenTheReserveScorerIsOnAndTheSlowOneMeetsTheSlo() {
    List<TestEngine> engines = List.of(new TestEngine("slow", "a100"), new TestEngine("fast", "h100"));
    RoutingProfile profile = RoutingProfile.parse("prism-reserve", Map.of(
        "filters", "slo-feasibility", "scorers", "slo-headroom:4, fast-engine-reserve:1", "picker", "max-score"));
    Router r = new ProfileRouter(profile, Map.of());
    r.useEngineClassPriors(PRIORS::get);
    assertEquals(0, r.route(TestEngine.request(0, 0, 200), engines));
  }

  @Test
  void shouldSendARequestToTheFastEngineWhenOnlyItMeetsTheSlo() {
    List<TestEngine> engines = List.of(new TestEngine("slow", "a100"), new TestEngine("fast", "h100"));
    Router r = prism();
    // 8,000 tokens: ~0.5 s on the slow engine, ~0.25 s on the fast one; the TTFT target is 0.4 s.
    RoutingRequest tight = new RoutingRequest(0, 0, 8000, 400, 100, null, new long[0]);
    assertEquals(1, r.route(tight, engines));
  }

  @Test
  void shouldFallBackToOwnInFlightCountsWhenNoPriorExists() {
    List<TestEngine> engines = List.of(new TestEngine("e0", "b200"), new TestEngine("e1", "b200"),
        new TestEngine("e2", "b200"));
    Router r = RouterRegistry.create("prism");
    java.util.Set<Integer> chosen = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      chosen.add(r.route(TestEngine.request(i, i, 500), engines));
    }
    assertEquals(3, chosen.size());
  }

  @Test
  void shouldCheckTheForecasterParametersWhenTheHostSuppliesTheForecaster() {
    Map<Class<?>, Object> oracle = Map.of(SloForecaster.class, new FixedForecaster(2));
    Router delayed = new ProfileRouter(RouterRegistry.profile("prism-delayed-events"), oracle);
    assertEquals("prism-delayed-events", delayed.name());

    RoutingProfile bad = RoutingProfile.parse("bad", Map.of("filters", "slo-feasibility", "picker", "max-score",
        "prism-forecaster.ledger-feed", "later"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ProfileRouter(bad, oracle));
    assertTrue(e.getMessage().startsWith("profile.bad.prism-forecaster.ledger-feed"), e.getMessage());
  }

  @Test
  void shouldRefuseForecasterParametersWhenNoPluginOfTheProfileUsesTheForecaster() {
    RoutingProfile p = RoutingProfile.parse("plain", Map.of("picker", "max-score",
        "prism-forecaster.ledger-feed", "telemetry"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ProfileRouter(p, Map.of()));
    assertTrue(e.getMessage().contains("profile.plain.prism-forecaster.ledger-feed"), e.getMessage());
  }
}
