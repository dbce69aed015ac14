package io.synergysched.core.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionDecision.Verdict;
import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixSloHoldRuleTest {

  private static final String[] DEFAULTS = new String[0];

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, parameters, attempt times of one request that no instance can take (ms), decisions
        arguments("held every second, rejected at 5 s (Llumnix's gateway defaults)", DEFAULTS,
            new double[] {0, 1000, 2000, 3000, 4000, 5000},
            List.of("hold 1000", "hold 2000", "hold 3000", "hold 4000", "hold 5000", "shed")),
        arguments("a shorter interval and timeout", new String[] {"retry-interval-ms", "200", "timeout-ms", "500"},
            new double[] {100, 300, 500, 700}, List.of("hold 300", "hold 500", "hold 700", "shed")),
        arguments("timeout 0: rejected at once, never held", new String[] {"timeout-ms", "0"},
            new double[] {40}, List.of("shed")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldHoldThenRejectWhenNoInstanceMeetsTheSlo(String name, String[] parameters, double[] attempts,
      List<String> expected) {
    LlumnixSloHoldRule rule = new LlumnixSloHoldRule(PluginHarness.context(LlumnixSloHoldRule.TYPE, parameters));
    var engines = PluginHarness.engines(2);
    List<String> decisions = new ArrayList<>();

    for (double t : attempts) {
      AdmissionDecision d = rule.whenNoCandidate(TestEngine.request(7, t, 100), engines, "llumnix-ttft-feasibility");
      decisions.add(d.verdict() == Verdict.HOLD ? "hold " + (long) d.holdUntilMs() : d.verdict().name().toLowerCase());
      if (d.verdict() != Verdict.ADMIT) {
        rule.onRouted(TestEngine.request(7, t, 100), Router.SHED);
      }
    }

    assertThat(decisions).isEqualTo(expected);
    assertThat(rule.heldCount()).as("a rejected request is forgotten").isZero();
  }

  @Test
  void shouldForgetARequestWhenItIsPlacedAfterAHold() {
    LlumnixSloHoldRule rule = new LlumnixSloHoldRule(PluginHarness.context(LlumnixSloHoldRule.TYPE));
    var engines = PluginHarness.engines(1);
    rule.whenNoCandidate(TestEngine.request(3, 0, 100), engines, "llumnix-ttft-feasibility");
    assertThat(rule.heldCount()).isOne();

    rule.onRouted(TestEngine.request(3, 1000, 100), 0);

    assertThat(rule.heldCount()).isZero();
    AdmissionDecision later = rule.whenNoCandidate(TestEngine.request(3, 9000, 100), engines, "f");
    assertThat(later.verdict()).as("held again from a new first attempt").isEqualTo(Verdict.HOLD);
  }

  @Test
  void shouldForgetHeldRequestsWhenTheHostNeverBringsThemBack() {
    LlumnixSloHoldRule rule = new LlumnixSloHoldRule(PluginHarness.context(LlumnixSloHoldRule.TYPE));
    var engines = PluginHarness.engines(1);
    for (int id = 0; id < 100; id++) {
      rule.whenNoCandidate(TestEngine.request(id, id, 100), engines, "f");
    }

    rule.whenNoCandidate(TestEngine.request(1000, 60_000, 100), engines, "f");

    assertThat(rule.heldCount()).as("only the request of the last attempt").isOne();
  }

  @Test
  void shouldAdmitWhenTheFiltersLeaveCandidates() {
    LlumnixSloHoldRule rule = new LlumnixSloHoldRule(PluginHarness.context(LlumnixSloHoldRule.TYPE));

    AdmissionDecision d = PluginHarness.admit(rule, TestEngine.request(0, 0, 100), PluginHarness.engines(2));

    assertThat(d.verdict()).isEqualTo(Verdict.ADMIT);
  }
}
