package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.TestEngine;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixFreenessScorerTest {

  static Stream<Arguments> cases() {
    // score = 1 - load / 2, load = (KV used + waiting x ceil(mean prompt / 16)) / KV total; mean starts at 512.
    return Stream.of(
        // name, prompts routed before (0: shed), KV used, waiting, KV total, score
        arguments("idle engine", new int[0], 0, 0, 7000, 1.0),
        arguments("half the cache in use", new int[0], 3500, 0, 7000, 0.75),
        arguments("the waiting queue's demand at the initial 512-token mean", new int[0], 0, 100, 7000,
            1 - 3200.0 / 7000 / 2),
        arguments("beyond twice the cache clips to 0", new int[0], 7000, 300, 7000, 0.0),
        arguments("an engine that reports no cache is fully loaded", new int[0], 0, 0, 0, 0.5),
        arguments("the mean follows the prompts routed", new int[] {1600}, 0, 7, 7000, 0.95),
        arguments("shed requests do not move the mean", new int[] {0, 0}, 0, 100, 7000, 1 - 3200.0 / 7000 / 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreOneMinusHalfTheDispatchLoadWhenCacheAndQueueDiffer(String name, int[] routedPrompts,
      int kvUsed, int waiting, int kvTotal, double expected) {
    LlumnixFreenessScorer scorer = new LlumnixFreenessScorer();
    for (int i = 0; i < routedPrompts.length; i++) {
      int prompt = routedPrompts[i] == 0 ? 9000 : routedPrompts[i];
      scorer.onRouted(TestEngine.request(i, i, prompt), routedPrompts[i] == 0 ? Router.SHED : 0);
    }
    List<TestEngine> engines = PluginHarness.engines(1);
    engines.get(0).kvUsed = kvUsed;
    engines.get(0).waiting = waiting;
    engines.get(0).kvTotal = kvTotal;

    double[] scores = PluginHarness.score(scorer, TestEngine.request(99, 99, 100), engines);

    assertThat(scores).containsExactly(new double[] {expected}, within(1e-12));
  }
}
