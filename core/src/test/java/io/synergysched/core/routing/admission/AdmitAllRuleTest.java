package io.synergysched.core.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingPluginRegistry;
import io.synergysched.core.routing.TestEngine;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmitAllRuleTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, the filter that left no candidate (null: the filters left some), waiting per engine
        arguments("PRISM's filter found no feasible engine: skipped", "slo-feasibility", new int[] {0, 0}),
        arguments("Llumnix's filter found none: skipped, not held", "llumnix-ttft-feasibility", new int[] {9, 9}),
        arguments("after the filters, however long the queues", null, new int[] {500, 500}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldAdmitEveryRequestWhenItRuns(String name, String emptiedBy, int[] waiting) {
    List<TestEngine> engines = PluginHarness.engines(waiting.length);
    for (int i = 0; i < waiting.length; i++) {
      engines.get(i).waiting = waiting[i];
    }
    AdmitAllRule rule = (AdmitAllRule) RoutingPluginRegistry.create(PluginHarness.context(AdmitAllRule.TYPE));

    AdmissionDecision d = emptiedBy != null
        ? rule.whenNoCandidate(TestEngine.request(0, 0, 100), engines, emptiedBy)
        : PluginHarness.admit(rule, TestEngine.request(0, 0, 100), engines);

    assertThat(d).isSameAs(AdmissionDecision.ADMIT);
  }
}
