package io.synergysched.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

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

/** A request the router holds ({@code Router.HOLD}) is offered to it again at the time it named. */
class HoldInClusterTest {

  private static final SloTargets SLO = LensInClusterTest.SLO;

  private static ClusterSimulation cluster() {
    return new ClusterSimulation(List.of(new EngineSetup(EngineConfig.defaults("e0"), LensInClusterTest.LLAMA7B),
        new EngineSetup(EngineConfig.defaults("e1"), LensInClusterTest.LLAMA7B)), "vllm-default", 50, SLO);
  }

  /** Holds each request {@code holds} times for {@code holdMs}, then routes round robin; records every decision. */
  private static final class Holding implements Router {
    final Map<Long, List<RoutingRequest>> seen = new HashMap<>();
    private final int holds;
    private final double holdMs;
    private double until = Double.NaN;
    private int next;

    Holding(int holds, double holdMs) {
      this.holds = holds;
      this.holdMs = holdMs;
    }

    @Override
    public String name() {
      return "holding";
    }

    @Override
    public int route(RoutingRequest request, List<? extends EngineView> engines) {
      List<RoutingRequest> decisions = seen.computeIfAbsent(request.requestId(), k -> new ArrayList<>());
      decisions.add(request);
      if (decisions.size() <= holds) {
        until = request.arrivalTimeMs() + holdMs;
        return HOLD;
      }
      until = Double.NaN;
      return next++ % engines.size();
    }

    @Override
    public double holdUntilMs() {
      return until;
    }
  }

  @Test
  void shouldOfferAHeldRequestAgainWithTheTtftBudgetLeftWhenItsTimeComes() {
    List<TraceRequest> trace = LensInClusterTest.trace(60, 4, 3);
    Holding router = new Holding(2, 150);

    RunResult r = cluster().run(trace, router, null, null);

    assertThat(r.held()).isEqualTo(60);
    assertThat(r.heldRouted()).isEqualTo(60);
    assertThat(r.shed()).isZero();
    for (Map.Entry<Long, List<RoutingRequest>> e : router.seen.entrySet()) {
      double arrival = trace.get(e.getKey().intValue()).arrivalMs();
      List<RoutingRequest> decisions = e.getValue();
      assertThat(decisions).hasSize(3);
      for (int k = 0; k < 3; k++) {
        assertThat(decisions.get(k).arrivalTimeMs()).isCloseTo(arrival + 150 * k, offset(1e-9));
        assertThat(decisions.get(k).sloTtftMs()).isCloseTo(SLO.ttftMs() - 150 * k, offset(1e-9));
      }
    }
    assertThat(r.servedTtftP50Ms()).as("TTFT counts from the arrival, held time included").isGreaterThan(300);
  }

  @Test
  void shouldShedAHeldRequestWhenItsTtftBudgetIsSpentBeforeItsTurn() {
    List<TraceRequest> trace = LensInClusterTest.trace(40, 4, 3);
    Holding router = new Holding(Integer.MAX_VALUE, 400);

    RunResult r = cluster().run(trace, router, null, null);

    assertThat(r.held()).isEqualTo(40);
    assertThat(r.heldRouted()).isZero();
    assertThat(r.shed()).isEqualTo(40);
    assertThat(r.rejected()).isZero();
    assertThat(router.seen.values()).allSatisfy(d -> assertThat(d).as("at 0, 400 and 800 ms; 1,200 is past 1 s")
        .hasSize(3));
    assertThat(r.sloAttainment()).isZero();
    assertThat(r.ttftP50Ms()).isInfinite();
    assertThat(r.servedTtftP50Ms()).isNaN();
  }

  @Test
  void shouldCountShedRequestsAsInfinitelyLateInTheLatencyPercentilesWhenAQuarterIsShed() {
    List<TraceRequest> trace = LensInClusterTest.trace(400, 2, 11);
    Router shedEveryFourth = new Router() {
      private int next;

      @Override
      public String name() {
        return "shed-every-fourth";
      }

      @Override
      public int route(RoutingRequest request, List<? extends EngineView> engines) {
        return request.requestId() % 4 == 3 ? SHED : next++ % engines.size();
      }
    };

    RunResult r = cluster().run(trace, shedEveryFourth, null, null);

    assertThat(r.shed()).isEqualTo(100);
    assertThat(r.sloAttainment()).isLessThanOrEqualTo(0.75);
    assertThat(r.ttftP50Ms()).as("three quarters served: the median is a served request's").isFinite()
        .isGreaterThanOrEqualTo(r.servedTtftP50Ms());
    assertThat(r.ttftP99Ms()).isInfinite();
    assertThat(r.e2eP50Ms()).isFinite();
    assertThat(r.servedTtftP99Ms()).isFinite();
  }
}
