package io.synergysched.core.regime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.ProfileRouter;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingProfile;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerProfile;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegimeTest {

  private static final RoutingProfile PRISM = RouterRegistry.profile("prism");

  /** A baseline that ships an admission rule with a parameter, and a filter of its own. */
  private static final RoutingProfile HOLDING = RoutingProfile.parseAll(props(
      "profile.holding.filters", "llumnix-ttft-feasibility",
      "profile.holding.scorers", "llumnix-freeness:1",
      "profile.holding.picker", "max-score",
      "profile.holding.admission", "llumnix-slo-hold",
      "profile.holding.llumnix-slo-hold.timeout-ms", "3000",
      "profile.holding.llumnix-ttft-feasibility.ttft-slo-dispatch-threshold", "0.9")).get("holding");

  /** A profile whose admission rule alone reads a shared component with a parameter set. */
  private static final RoutingProfile PREDICTING = RoutingProfile.parseAll(props(
      "profile.predicting.scorers", "queue:1",
      "profile.predicting.picker", "max-score",
      "profile.predicting.admission", "latency-slo-admitter",
      "profile.predicting.profiled-latency-predictor.token-budget", "4096")).get("predicting");

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  static Stream<Arguments> routers() {
    return Stream.of(
        // name, profile, regime, filters, admission, parameters
        arguments("as shipped, a baseline is itself", RouterRegistry.profile("llm-d-default"), Regime.AS_SHIPPED,
            List.of(), "none", Map.of()),
        arguments("as shipped, PRISM is itself", PRISM, Regime.AS_SHIPPED, PRISM.filters(), "no-feasible-engine",
            PRISM.params()),
        arguments("equal admission: PRISM's filter in front, with PRISM's parameters, shedding on it alone",
            RouterRegistry.profile("llm-d-default"), Regime.EQUAL_ADMISSION, List.of("slo-feasibility"),
            "no-feasible-engine", Map.of("slo-feasibility.ttft-margin", "0.7", "slo-feasibility.shed-slack", "0.75",
                "no-feasible-engine.filter", "slo-feasibility")),
        arguments("equal admission: the baseline's own filter stays behind it, its own rule goes", HOLDING,
            Regime.EQUAL_ADMISSION, List.of("slo-feasibility", "llumnix-ttft-feasibility"), "no-feasible-engine",
            Map.of("slo-feasibility.ttft-margin", "0.7", "slo-feasibility.shed-slack", "0.75",
                "llumnix-ttft-feasibility.ttft-slo-dispatch-threshold", "0.9", "no-feasible-engine.filter", "slo-feasibility")),
        arguments("equal admission: PRISM keeps its filters and parameters", PRISM, Regime.EQUAL_ADMISSION,
            PRISM.filters(), "no-feasible-engine", withFilterKey(PRISM.params())),
        arguments("equal admission: a PRISM variant keeps its forecaster's parameters",
            RouterRegistry.profile("prism-delayed-events"), Regime.EQUAL_ADMISSION, PRISM.filters(),
            "no-feasible-engine", withFilterKey(RouterRegistry.profile("prism-delayed-events").params())),
        arguments("placement only: PRISM admits everything", PRISM, Regime.PLACEMENT_ONLY, PRISM.filters(), "none",
            PRISM.params()),
        arguments("placement only: no hold, the rule's parameters dropped", HOLDING, Regime.PLACEMENT_ONLY,
            List.of("llumnix-ttft-feasibility"), "none", Map.of("llumnix-ttft-feasibility.ttft-slo-dispatch-threshold", "0.9")),
        arguments("placement only: the predictor only the replaced admitter read is left unused", PREDICTING,
            Regime.PLACEMENT_ONLY, List.of(), "none", Map.of("profiled-latency-predictor.token-budget", "4096")));
  }

  private static Map<String, String> withFilterKey(Map<String, String> params) {
    Map<String, String> out = new java.util.TreeMap<>(params);
    out.put("no-feasible-engine.filter", "slo-feasibility");
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routers")
  void shouldGiveEveryRouterTheRegimesAdmissionWhenApplied(String name, RoutingProfile profile, Regime regime,
      List<String> filters, String admission, Map<String, String> params) {
    RoutingProfile effective = regime.routingProfile(profile);

    assertThat(effective.name()).isEqualTo(profile.name());
    assertThat(effective.filters()).isEqualTo(filters);
    assertThat(effective.admission()).isEqualTo(admission);
    assertThat(effective.params()).isEqualTo(params);
    assertThat(effective.scorers()).as("placement is left alone").isEqualTo(profile.scorers());
    assertThat(effective.picker()).isEqualTo(profile.picker());
    new ProfileRouter(effective, Map.of());
  }

  @Test
  void shouldBuildEveryBuiltInRouterWhenAnyRegimeIsApplied() {
    for (Regime regime : Regime.values()) {
      for (String name : RouterRegistry.names()) {
        RoutingProfile effective = regime.routingProfile(RouterRegistry.profile(name));
        assertThat(new ProfileRouter(effective, Map.of()).name()).isEqualTo(name);
        if (regime == Regime.PLACEMENT_ONLY) {
          assertThat(effective.admission()).as(name).isEqualTo("none");
        } else if (regime == Regime.EQUAL_ADMISSION) {
          assertThat(effective.filters()).as(name).contains("slo-feasibility");
          assertThat(effective.admission()).as(name).isEqualTo("no-feasible-engine");
        }
      }
    }
  }

  static Stream<Arguments> schedulers() {
    return Stream.of(
        // scheduler, regime, the triage parameters it runs with
        arguments("vllm-default", Regime.AS_SHIPPED, Map.of()),
        arguments("vllm-default", Regime.EQUAL_ADMISSION, Map.of("shed-after-ttft-multiple", "1")),
        arguments("vllm-default", Regime.PLACEMENT_ONLY, Map.of("shed-after-ttft-multiple", "0")),
        arguments("sarathi-512-shed", Regime.AS_SHIPPED, Map.of("shed-after-ttft-multiple", "1")),
        arguments("sarathi-512-shed", Regime.PLACEMENT_ONLY, Map.of("shed-after-ttft-multiple", "0")),
        arguments("lens", Regime.AS_SHIPPED, Map.of()),
        arguments("lens", Regime.EQUAL_ADMISSION, Map.of("shed-after-ttft-multiple", "1.0", "shed-hopeless", "true")),
        arguments("lens", Regime.PLACEMENT_ONLY, Map.of("shed-after-ttft-multiple", "0", "shed-hopeless", "false")));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("schedulers")
  void shouldGiveEverySchedulerTheRegimesTriageWhenApplied(String name, Regime regime, Map<String, String> triage) {
    SchedulerProfile shipped = BatchSchedulerRegistry.known(name);

    SchedulerProfile effective = regime.schedulerProfile(shipped);

    assertThat(effective.name()).isEqualTo(name);
    assertThat(effective.type()).isEqualTo(shipped.type());
    assertThat(effective.params()).containsAllEntriesOf(triage);
    assertThat(effective.params().get("token-budget")).isEqualTo(shipped.params().get("token-budget"));
    assertThat(BatchSchedulerRegistry.create(effective, io.synergysched.core.scheduling.SchedulerEnvironment
        .standalone("e0")).name()).isNotBlank();
  }

  @Test
  void shouldReadTheScenarioSpellingWhenParsed() {
    assertThat(Regime.parse(null)).isEqualTo(Regime.AS_SHIPPED);
    assertThat(Regime.parse("equal-admission")).isEqualTo(Regime.EQUAL_ADMISSION);
    assertThat(Regime.PLACEMENT_ONLY.key()).isEqualTo("placement-only");
    assertThatThrownBy(() -> Regime.parse("fair"))
        .hasMessage("regime must be one of as-shipped, equal-admission, placement-only, got 'fair'");
  }
}
