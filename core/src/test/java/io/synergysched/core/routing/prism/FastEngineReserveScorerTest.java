package io.synergysched.core.routing.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FastEngineReserveScorerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, reference decode step per engine (ms), candidates (none: all), scores
        arguments("the slowest 1, the fastest 0, linear between", new double[] {10, 20, 15}, new int[0],
            new double[] {0, 1, 0.5}),
        arguments("within 5% is one speed class: neutral 1", new double[] {10, 10.4}, new int[0],
            new double[] {1, 1}),
        arguments("only the candidates the filter kept count", new double[] {10, 40, 20}, new int[] {0, 2},
            new double[] {0, 1}),
        arguments("a single candidate is neutral", new double[] {10, 40}, new int[] {1}, new double[] {1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreSlowerFeasibleEnginesHigherWhenSpeedsDiffer(String name, double[] referenceStepMs,
      int[] candidates, double[] expected) {
    FixedForecaster forecaster = new FixedForecaster(referenceStepMs.length);
    System.arraycopy(referenceStepMs, 0, forecaster.forecasts.referenceStepMs, 0, referenceStepMs.length);
    FastEngineReserveScorer scorer = new FastEngineReserveScorer(
        PluginHarness.context(FastEngineReserveScorer.TYPE, forecaster.asShared()));

    assertThat(PluginHarness.score(scorer, TestEngine.request(0, 0, 100), PluginHarness.engines(referenceStepMs.length),
        candidates)).containsExactly(expected, within(1e-12));
  }
}
