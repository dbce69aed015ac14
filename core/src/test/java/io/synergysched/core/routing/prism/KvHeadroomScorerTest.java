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

class KvHeadroomScorerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, predicted KV share once admitted per engine, scores
        arguments("1 - the share held", new double[] {0, 0.25, 1}, new double[] {1, 0.75, 0}),
        arguments("beyond the cache clips to 0", new double[] {1.3}, new double[] {0}),
        arguments("no forecast scores 0", new double[] {Double.NaN}, new double[] {0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheKvCacheLeftAfterAdmissionWhenSharesDiffer(String name, double[] kvShare, double[] expected) {
    FixedForecaster forecaster = new FixedForecaster(kvShare.length);
    System.arraycopy(kvShare, 0, forecaster.forecasts.kvShare, 0, kvShare.length);
    KvHeadroomScorer scorer = new KvHeadroomScorer(PluginHarness.context(KvHeadroomScorer.TYPE, forecaster.asShared()));

    assertThat(PluginHarness.score(scorer, TestEngine.request(0, 0, 100), PluginHarness.engines(kvShare.length)))
        .containsExactly(expected, within(1e-12));
  }
}
