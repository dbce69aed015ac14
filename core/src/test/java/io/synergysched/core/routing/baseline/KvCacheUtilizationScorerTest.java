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

class KvCacheUtilizationScorerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, KV blocks used, KV blocks total, scores
        arguments("1 - usage", new int[] {0, 3500, 7000}, new int[] {7000, 7000, 7000}, new double[] {1, 0.5, 0}),
        arguments("absolute, not min-max: close usages stay close", new int[] {700, 1400}, new int[] {7000, 7000},
            new double[] {0.9, 0.8}),
        arguments("an engine that reports no cache counts as empty", new int[] {5}, new int[] {0}, new double[] {1}),
        arguments("over-full reports clip to 0", new int[] {8000}, new int[] {7000}, new double[] {0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheFreeShareOfTheCacheWhenUsageDiffers(String name, int[] used, int[] total, double[] expected) {
    List<TestEngine> engines = PluginHarness.engines(used.length);
    for (int i = 0; i < used.length; i++) {
      engines.get(i).kvUsed = used[i];
      engines.get(i).kvTotal = total[i];
    }

    double[] scores = PluginHarness.score(new KvCacheUtilizationScorer(), TestEngine.request(0, 0, 100), engines);

    assertThat(scores).containsExactly(expected, within(1e-12));
  }
}
