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

class QueueScorerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, waiting per engine, running per engine, candidates (none: all), scores
        arguments("shortest queue 1, longest 0, linear between", new int[] {5, 1, 3}, new int[] {0, 0, 0},
            new int[0], new double[] {0, 1, 0.5}),
        arguments("all equal: the neutral 1 everywhere", new int[] {2, 2, 2}, new int[] {0, 0, 0},
            new int[0], new double[] {1, 1, 1}),
        arguments("running requests do not count", new int[] {1, 1}, new int[] {0, 9},
            new int[0], new double[] {1, 1}),
        arguments("normalized over the candidates only", new int[] {5, 0, 3}, new int[] {0, 0, 0},
            new int[] {0, 2}, new double[] {0, 1}),
        arguments("one candidate scores 1", new int[] {9, 0}, new int[] {0, 0},
            new int[] {0}, new double[] {1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheShorterPolledQueueHigherWhenQueuesDiffer(String name, int[] waiting, int[] running,
      int[] candidates, double[] expected) {
    List<TestEngine> engines = PluginHarness.engines(waiting.length);
    for (int i = 0; i < waiting.length; i++) {
      engines.get(i).waiting = waiting[i];
      engines.get(i).running = running[i];
    }

    double[] scores = PluginHarness.score(new QueueScorer(), TestEngine.request(0, 0, 100), engines, candidates);

    assertThat(scores).containsExactly(expected, within(1e-12));
  }
}
