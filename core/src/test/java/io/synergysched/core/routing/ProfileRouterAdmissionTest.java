package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a profile's admission rule ends a decision: Llumnix's TTFT filter (a frozen class profile)
 * removes every engine for a request whose TTFT target is 1 ms, so the rule decides.
 */
class ProfileRouterAdmissionTest {

  private static ProfileRouter router(String admission, String... more) {
    Properties p = new Properties();
    p.setProperty("profile.x.filters", "llumnix-ttft-feasibility");
    p.setProperty("profile.x.scorers", "queue:1");
    p.setProperty("profile.x.picker", "max-score");
    p.setProperty("profile.x.admission", admission);
    for (int i = 0; i < more.length; i += 2) {
      p.setProperty("profile.x." + more[i], more[i + 1]);
    }
    ProfileRouter router = new ProfileRouter(RoutingProfile.parseAll(p).get("x"), Map.of());
    router.useEngineClassPriors(TestPriors.A100_AND_H100::get);
    router.setTracing(true);
    return router;
  }

  private static RoutingRequest impossible(long id, double atMs) {
    return new RoutingRequest(id, atMs, 2000, 1, 100, null, new long[0]);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, admission, outcome for the impossible request, trace reason
        arguments("none: the filter is skipped, the shortest queue gets it", "none", 1, null),
        arguments("shed (the alias): PRISM's rule sheds, naming the filter", "shed", Router.SHED,
            "llumnix-ttft-feasibility"),
        arguments("no-feasible-engine: the same", "no-feasible-engine", Router.SHED, "llumnix-ttft-feasibility"),
        arguments("llumnix-slo-hold: held", "llumnix-slo-hold", Router.HOLD,
            "llumnix-slo-hold: no instance passed llumnix-ttft-feasibility, asking again"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldLetTheAdmissionRuleDecideWhenTheFiltersLeaveNoEngine(String name, String admission, int outcome,
      String reason) {
    ProfileRouter router = router(admission);
    List<TestEngine> engines = PluginHarness.engines(2);
    engines.get(0).waiting = 3;

    int chosen = router.route(impossible(0, 100), engines);

    assertThat(chosen).isEqualTo(outcome);
    assertThat(router.lastTrace().shedReason()).isEqualTo(reason);
    if (outcome == Router.HOLD) {
      assertThat(router.holdUntilMs()).isEqualTo(1100);
      assertThat(router.lastTrace().holdUntilMs()).isEqualTo(1100);
    } else {
      assertThat(router.holdUntilMs()).isNaN();
    }
  }

  @Test
  void shouldShedAfterTheFiltersWhenTheRuleJudgesTheCandidates() {
    ProfileRouter router = router("queue-threshold", "queue-threshold.max-waiting", "2");
    List<TestEngine> engines = PluginHarness.engines(2);
    engines.get(0).waiting = 3;
    engines.get(1).waiting = 3;
    RoutingRequest feasible = new RoutingRequest(0, 0, 100, 60_000, 1000, null, new long[0]);

    assertThat(router.route(feasible, engines)).isEqualTo(Router.SHED);
    assertThat(router.lastTrace().shedReason()).startsWith("queue-threshold: every candidate");

    engines.get(1).waiting = 2;
    assertThat(router.route(new RoutingRequest(1, 1, 100, 60_000, 1000, null, new long[0]), engines)).isOne();
  }

  @Test
  void shouldOfferAHeldRequestAgainAndRejectItAtTheTimeoutWhenNoEngineCanTakeIt() {
    ProfileRouter router = router("llumnix-slo-hold", "llumnix-slo-hold.timeout-ms", "2000");
    List<TestEngine> engines = PluginHarness.engines(2);

    assertThat(router.route(impossible(5, 0), engines)).isEqualTo(Router.HOLD);
    assertThat(router.route(impossible(5, router.holdUntilMs()), engines)).isEqualTo(Router.HOLD);
    assertThat(router.route(impossible(5, router.holdUntilMs()), engines)).isEqualTo(Router.SHED);
    assertThat(router.lastTrace().shedReason()).startsWith("llumnix-slo-hold: no instance met the SLO");
  }
}
