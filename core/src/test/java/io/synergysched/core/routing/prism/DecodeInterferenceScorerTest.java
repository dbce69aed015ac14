package io.synergysched.core.routing.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingRequest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecodeInterferenceScorerTest {

  static Stream<Arguments> cases() {
    // score = 1 / (1 + max(0, harm) / TPOT target)
    return Stream.of(
        // name, parameters, harm (ms per token over the running decodes), TPOT target (NaN: none), scores
        arguments("no harm 1, harm of one target 0.5, of three 0.25", new String[0], new double[] {0, 100, 300},
            100.0, new double[] {1, 0.5, 0.25}),
        arguments("relative to the request's own target", new String[0], new double[] {100}, 400.0,
            new double[] {0.8}),
        arguments("no forecast scores 0", new String[0], new double[] {Double.NaN}, 100.0, new double[] {0}),
        arguments("a negative harm counts as none", new String[0], new double[] {-5}, 100.0, new double[] {1}),
        arguments("a request without a target gets the default", new String[] {"default-tpot-slo-ms", "50"},
            new double[] {50}, Double.NaN, new double[] {0.5}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreLessHarmToRunningDecodesHigherWhenForecastsDiffer(String name, String[] parameters,
      double[] harmMs, double sloTpotMs, double[] expected) {
    FixedForecaster forecaster = new FixedForecaster(harmMs.length);
    System.arraycopy(harmMs, 0, forecaster.forecasts.harmMs, 0, harmMs.length);
    DecodeInterferenceScorer scorer = new DecodeInterferenceScorer(
        PluginHarness.context(DecodeInterferenceScorer.TYPE, forecaster.asShared(), parameters));
    RoutingRequest request = new RoutingRequest(0, 0, 100, 1000, sloTpotMs, null, new long[0]);

    assertThat(PluginHarness.score(scorer, request, PluginHarness.engines(harmMs.length)))
        .containsExactly(expected, within(1e-12));
  }
}
