package io.synergysched.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.trace.TraceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code shed_retries}: a request an engine's scheduler sheds is routed again, once. */
class ShedRetryInClusterTest {

  private static final SloTargets SLO = LensInClusterTest.SLO;

  private static List<TraceRequest> trace(int n, double perSecond, long seed) {
    return LensInClusterTest.trace(n, perSecond, seed);
  }

  private static ClusterSimulation cluster(int retries) {
    return new ClusterSimulation(List.of(new EngineSetup(EngineConfig.defaults("e0"), LensInClusterTest.LLAMA7B),
        new EngineSetup(EngineConfig.defaults("e1"), LensInClusterTest.LLAMA7B)), "lens", 50, SLO, retries);
  }

  /** Round robin that records every decision. */
  private static final class Recording implements Router {
    final Map<Long, List<RoutingRequest>> seen = new HashMap<>();
    private int next;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public int route(RoutingRequest request, List<? extends EngineView> engines) {
      seen.computeIfAbsent(request.requestId(), k -> new ArrayList<>()).add(request);
      return next++ % engines.size();
    }
  }

  @Test
  void shouldRouteAShedRequestAgainWithTheTtftBudgetLeftWhenRetriesAreOn() {
    List<TraceRequest> trace = trace(1200, 24, 5);
    Recording router = new Recording();

    RunResult r = cluster(1).run(trace, router, null, null);

    assertThat(r.retries()).isPositive();
    assertThat(r.retriesRouted()).isLessThanOrEqualTo(r.retries());
    assertThat(r.retriesInSlo()).isLessThanOrEqualTo(r.retriesRouted());
    int routedTwice = 0;
    for (Map.Entry<Long, List<RoutingRequest>> e : router.seen.entrySet()) {
      List<RoutingRequest> decisions = e.getValue();
      assertThat(decisions).hasSizeLessThanOrEqualTo(2);
      if (decisions.size() == 2) {
        routedTwice++;
        RoutingRequest first = decisions.get(0);
        RoutingRequest retry = decisions.get(1);
        double arrival = trace.get(e.getKey().intValue()).arrivalMs();
        assertThat(first.arrivalTimeMs()).isEqualTo(arrival);
        assertThat(retry.arrivalTimeMs()).isGreaterThan(arrival);
        assertThat(retry.sloTtftMs()).isCloseTo(SLO.ttftMs() - (retry.arrivalTimeMs() - arrival),
            org.assertj.core.data.Offset.offset(1e-6));
        assertThat(retry.sloTtftMs()).isPositive();
      }
    }
    assertThat(routedTwice).isEqualTo(r.retriesRouted());
  }

  @Test
  void shouldNeverRouteTwiceWhenRetriesAreOff() {
    Recording router = new Recording();
    RunResult r = cluster(0).run(trace(1200, 24, 5), router, null, null);
    assertThat(r.triage().shed()).isPositive();
    assertThat(r.retries()).isZero();
    assertThat(router.seen.values()).allSatisfy(d -> assertThat(d).hasSize(1));
  }

  @Test
  void shouldRepeatExactlyWhenRunTwiceWithRetries() {
    List<TraceRequest> trace = trace(600, 24, 9);
    assertThat(cluster(1).run(trace, SimulatorRouters.create("prism-lens"), null, null))
        .isEqualTo(cluster(1).run(trace, SimulatorRouters.create("prism-lens"), null, null));
  }

  @Test
  void shouldRejectANegativeRetryCount() {
    assertThatThrownBy(() -> cluster(-1)).hasMessageContaining("shed_retries");
  }
}
