package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileRouterAvailabilityTest {

  private record View(String engineId, boolean available, int waiting) implements EngineView {
    @Override
    public String gpu() {
      return "a100";
    }

    @Override
    public String model() {
      return "llama-2-7b";
    }

    @Override
    public int tensorParallel() {
      return 1;
    }

    @Override
    public double telemetryTimeMs() {
      return 0;
    }

    @Override
    public int running() {
      return 0;
    }

    @Override
    public int kvBlocksUsed() {
      return 0;
    }

    @Override
    public int kvBlocksTotal() {
      return 1000;
    }
  }

  private static RoutingRequest request(long id) {
    return new RoutingRequest(id, 0, 100, 1000, 100, null, new long[0]);
  }

  @Test
  void shouldNeverChooseAnEngineThatLeftTheClusterWhenRouting() {
    ProfileRouter router = (ProfileRouter) RouterRegistry.create("round-robin");
    List<View> engines =
        List.of(new View("e0", true, 0), new View("e1", false, 0), new View("e2", true, 0));

    for (int i = 0; i < 20; i++) {
      assertThat(router.route(request(i), engines)).isNotEqualTo(1).isNotEqualTo(Router.SHED);
    }
  }

  @Test
  void shouldShedAndSayWhyWhenNoEngineIsAvailable() {
    ProfileRouter router = (ProfileRouter) RouterRegistry.create("least-request");
    router.setTracing(true);
    List<View> engines = List.of(new View("e0", false, 0), new View("e1", false, 0));

    assertThat(router.route(request(1), engines)).isEqualTo(Router.SHED);
    assertThat(router.lastTrace().shedReason()).isEqualTo("unavailable");
  }

  @Test
  void shouldTraceEveryEnginesScoreAndRemovalWhenTracing() {
    ProfileRouter router = (ProfileRouter) RouterRegistry.create("queue-depth");
    router.setTracing(true);
    List<View> engines =
        List.of(new View("e0", true, 5), new View("e1", false, 0), new View("e2", true, 1));

    int chosen = router.route(request(1), engines);

    assertThat(chosen).isEqualTo(2);
    DecisionTrace trace = router.lastTrace();
    assertThat(trace.removedBy()).containsExactly(null, "unavailable", null);
    assertThat(trace.scores()[1]).isNaN();
    assertThat(trace.scores()[2]).isGreaterThan(trace.scores()[0]);
    assertThat(trace.shedReason()).isNull();
  }
}
