package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeastRequestScorerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, waiting, running, KV blocks used, scores
        arguments("waiting + running, fewest 1, most 0", new int[] {1, 0, 3}, new int[] {1, 4, 0},
            new int[] {0, 0, 0}, new double[] {1, 0, 0.5}),
        arguments("equal outstanding counts tie at 1", new int[] {2, 0}, new int[] {0, 2},
            new int[] {0, 0}, new double[] {1, 1}),
        arguments("KV use does not count", new int[] {1, 1}, new int[] {1, 1},
            new int[] {0, 7000}, new double[] {1, 1}),
        arguments("idle engines tie at 1", new int[] {0, 0, 0}, new int[] {0, 0, 0},
            new int[] {0, 0, 0}, new double[] {1, 1, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreFewerOutstandingRequestsHigherWhenPolledLoadsDiffer(String name, int[] waiting, int[] running,
      int[] kvUsed, double[] expected) {
    List<TestEngine> engines = PluginHarness.engines(waiting.length);
    for (int i = 0; i < waiting.length; i++) {
      engines.get(i).waiting = waiting[i];
      engines.get(i).running = running[i];
      engines.get(i).kvUsed = kvUsed[i];
    }

    double[] scores = PluginHarness.score(new LeastRequestScorer(), TestEngine.request(0, 0, 100), engines);

    assertThat(scores).containsExactly(expected, within(1e-12));
  }
}
