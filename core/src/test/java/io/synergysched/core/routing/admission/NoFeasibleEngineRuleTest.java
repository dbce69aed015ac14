package io.synergysched.core.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionDecision.Verdict;
import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NoFeasibleEngineRuleTest {

  private static final String[] ANY = new String[0];
  private static final String[] ONLY_PRISMS = {"filter", "slo-feasibility"};

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, parameters, the filter that left no candidate (null: the filters left some), verdict, reason
        arguments("PRISM's filter found no feasible engine", ANY, "slo-feasibility", Verdict.SHED,
            "slo-feasibility"),
        arguments("any filter sheds by default", ANY, "llumnix-ttft-feasibility", Verdict.SHED,
            "llumnix-ttft-feasibility"),
        arguments("with filter set, that filter sheds", ONLY_PRISMS, "slo-feasibility", Verdict.SHED,
            "slo-feasibility"),
        arguments("with filter set, another filter is skipped", ONLY_PRISMS, "llumnix-ttft-feasibility",
            Verdict.ADMIT, null),
        arguments("candidates left: admitted", ANY, null, Verdict.ADMIT, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldShedWhenTheFiltersFindNoEngine(String name, String[] parameters, String emptiedBy, Verdict verdict,
      String reason) {
    NoFeasibleEngineRule rule = new NoFeasibleEngineRule(PluginHarness.context(NoFeasibleEngineRule.TYPE, parameters));
    var engines = PluginHarness.engines(2);

    AdmissionDecision d = emptiedBy != null
        ? rule.whenNoCandidate(TestEngine.request(0, 0, 100), engines, emptiedBy)
        : PluginHarness.admit(rule, TestEngine.request(0, 0, 100), engines);

    assertThat(d.verdict()).isEqualTo(verdict);
    assertThat(d.reason()).isEqualTo(reason);
  }

  @Test
  void shouldReuseOneDecisionPerFilterWhenItShedsAgain() {
    NoFeasibleEngineRule rule = new NoFeasibleEngineRule(PluginHarness.context(NoFeasibleEngineRule.TYPE));
    var engines = PluginHarness.engines(1);

    AdmissionDecision first = rule.whenNoCandidate(TestEngine.request(0, 0, 100), engines, "slo-feasibility");
    AdmissionDecision second = rule.whenNoCandidate(TestEngine.request(1, 5, 100), engines, "slo-feasibility");

    assertThat(second).isSameAs(first);
  }
}
