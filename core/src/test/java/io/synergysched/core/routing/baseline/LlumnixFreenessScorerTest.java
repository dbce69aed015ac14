package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixFreenessScorerTest {

  static Stream<Arguments> cases() {
    // name, script (LlumnixFeed), scores of engines 0, 1, 2: min-max of all_prefills_tokens_num
    return Stream.of(
        arguments("all idle: all tie at 1", "", new double[] {1, 1, 1}),
        arguments("the local account loads an engine before any report", "r1000 r500/1",
            new double[] {0, 0.5, 1}),
        arguments("reported uncomputed tokens load it the same", "r1000 q0 r500/1 q1", new double[] {0, 0.5, 1}),
        arguments("computed prefill is no load", "r1000 q0 s1000:0 r500/1", new double[] {1, 0, 1}),
        arguments("running decodes are not prefill load", "r1000 q0 s1000:0:40:40000", new double[] {1, 1, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreFewerPrefillTokensAheadHigherWhenReportsAndDispatchesDiffer(String name, String script,
      double[] expected) {
    LlumnixFeed feed = new LlumnixFeed().run(script);
    LlumnixFreenessScorer scorer = new LlumnixFreenessScorer(
        PluginHarness.context(LlumnixFreenessScorer.TYPE, feed.shared()));

    double[] scores = PluginHarness.score(scorer, TestEngine.request(99, feed.clockMs(), 100),
        PluginHarness.engines(3));

    assertThat(scores).containsExactly(expected, within(1e-12));
  }
}
