package io.synergysched.core.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionDecision.Verdict;
import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueueThresholdRuleTest {

  private static final String[] DEFAULTS = new String[0];
  private static final String[] MEAN = {"pool", "mean"};

  static Stream<Arguments> cases() {
    // KV cache of 1,000 blocks per engine; defaults: more than 5 waiting or 80% KV is saturated.
    return Stream.of(
        // name, parameters, waiting, KV blocks used, candidates (none: all), verdict
        arguments("one engine with room: admitted", DEFAULTS, new int[] {6, 5}, new int[] {0, 0}, new int[0],
            Verdict.ADMIT),
        arguments("every queue over 5: shed", DEFAULTS, new int[] {6, 9}, new int[] {0, 0}, new int[0],
            Verdict.SHED),
        arguments("exactly 5 waiting is not over", DEFAULTS, new int[] {5}, new int[] {0}, new int[0],
            Verdict.ADMIT),
        arguments("KV over 80% saturates too", DEFAULTS, new int[] {0, 6}, new int[] {810, 0}, new int[0],
            Verdict.SHED),
        arguments("only the candidates count", DEFAULTS, new int[] {0, 9}, new int[] {0, 0}, new int[] {1},
            Verdict.SHED),
        arguments("a higher threshold admits", new String[] {"max-waiting", "10"}, new int[] {9, 9},
            new int[] {0, 0}, new int[0], Verdict.ADMIT),
        arguments("KV above 1 never saturates", new String[] {"max-kv-utilization", "1.5"}, new int[] {0},
            new int[] {1000}, new int[0], Verdict.ADMIT),
        arguments("mean: 10/5 and 0/5 average 1, shed", MEAN, new int[] {10, 0}, new int[] {0, 0}, new int[0],
            Verdict.SHED),
        arguments("mean: 6/5 and 2/5 average 0.8, admitted", MEAN, new int[] {6, 2}, new int[] {0, 0},
            new int[0], Verdict.ADMIT),
        arguments("mean: the larger of queue and KV ratio", MEAN, new int[] {0, 0}, new int[] {800, 800},
            new int[0], Verdict.SHED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldShedWhenTheCandidatesAreSaturated(String name, String[] parameters, int[] waiting, int[] kvUsed,
      int[] candidates, Verdict verdict) {
    List<TestEngine> engines = PluginHarness.engines(waiting.length);
    for (int i = 0; i < waiting.length; i++) {
      engines.get(i).waiting = waiting[i];
      engines.get(i).kvUsed = kvUsed[i];
      engines.get(i).kvTotal = 1000;
    }
    QueueThresholdRule rule = new QueueThresholdRule(PluginHarness.context(QueueThresholdRule.TYPE, parameters));

    AdmissionDecision d = PluginHarness.admit(rule, TestEngine.request(0, 0, 100), engines, candidates);

    assertThat(d.verdict()).isEqualTo(verdict);
    if (verdict == Verdict.SHED) {
      assertThat(d.reason()).startsWith("queue-threshold: ");
    }
  }
}
