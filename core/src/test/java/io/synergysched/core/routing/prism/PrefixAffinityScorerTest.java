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

class PrefixAffinityScorerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, expected cached share of the prompt per engine, scores
        arguments("the cached share itself", new double[] {0, 0.5, 0.99}, new double[] {0, 0.5, 0.99}),
        arguments("clipped to [0, 1]", new double[] {1.5, -0.1}, new double[] {1, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheExpectedPrefixHitWhenEnginesHoldTheConversation(String name, double[] cachedShare,
      double[] expected) {
    FixedForecaster forecaster = new FixedForecaster(cachedShare.length);
    System.arraycopy(cachedShare, 0, forecaster.forecasts.cachedShare, 0, cachedShare.length);
    PrefixAffinityScorer scorer = new PrefixAffinityScorer(
        PluginHarness.context(PrefixAffinityScorer.TYPE, forecaster.asShared()));

    assertThat(PluginHarness.score(scorer, TestEngine.request(0, 0, 100), PluginHarness.engines(cachedShare.length)))
        .containsExactly(expected, within(1e-12));
  }
}
