package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixPredictedTtftScorerTest {

  static Stream<Arguments> cases() {
    // Idle a100: 8 + 0.06 x 500 = 38 ms for the 500-token request; h100 19 ms (TestPriors).
    // name, script (LlumnixFeed), gpus, scores in engine order
    return Stream.of(
        arguments("equal engines tie", "", new String[] {"a100", "a100"}, new double[] {1, 1}),
        arguments("the fast class predicts the lower TTFT", "", new String[] {"a100", "h100"}, new double[] {0, 1}),
        // 1000 tokens ahead on the h100: 8 + 0.06 x 1500 / 2 = 49 ms against 38 ms on the idle a100.
        arguments("work ahead outweighs the faster class", "r1000/1", new String[] {"a100", "h100"},
            new double[] {1, 0}),
        // a100 38, b200 ranked after the worst (39), h100 19: (39 - t) / 20.
        arguments("a class without a profile ranks last", "", new String[] {"a100", "b200", "h100"},
            new double[] {0.05, 0, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheLowestPredictedTtftHighestWhenLoadsAndClassesDiffer(String name, String script,
      String[] gpus, double[] expected) {
    LlumnixFeed feed = new LlumnixFeed().run(script);
    LlumnixPredictedTtftScorer scorer = new LlumnixPredictedTtftScorer(
        PluginHarness.context(LlumnixPredictedTtftScorer.TYPE, feed.shared()));
    List<TestEngine> engines = new ArrayList<>();
    for (int i = 0; i < gpus.length; i++) {
      engines.add(new TestEngine("e" + i, gpus[i]));
    }

    double[] scores = PluginHarness.score(scorer, TestEngine.request(99, feed.clockMs(), 500), engines);

    assertThat(scores).containsExactly(expected, within(0.02));
  }
}
