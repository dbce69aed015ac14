package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrefixCacheScorerTest {

  private static final long[] NONE = new long[0];

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, KV blocks per engine, engine routed to before (or SHED), its hashes, hashes scored, scores
        arguments("nothing routed yet", 7000, -2, NONE, new long[] {1, 2, 3, 4}, new double[] {0, 0, 0}),
        arguments("the whole prefix went to e1", 7000, 1, new long[] {1, 2, 3, 4}, new long[] {1, 2, 3, 4},
            new double[] {0, 1, 0}),
        arguments("half of the prefix matches", 7000, 1, new long[] {1, 2, 3, 4}, new long[] {1, 2, 8, 9},
            new double[] {0, 0.5, 0}),
        arguments("a match counts from the first block only", 7000, 1, new long[] {1, 2, 3, 4},
            new long[] {9, 2, 3, 4}, new double[] {0, 0, 0}),
        arguments("a request without hashes scores 0", 7000, 1, new long[] {1, 2}, NONE, new double[] {0, 0, 0}),
        arguments("a shed request is not recorded", 7000, Router.SHED, new long[] {1, 2}, new long[] {1, 2},
            new double[] {0, 0, 0}),
        // 64 KV blocks of 16 tokens hold two 512-token hash blocks: the oldest two are evicted.
        arguments("the index holds an engine's KV cache in hash blocks", 64, 0, new long[] {1, 2, 3, 4},
            new long[] {1, 2, 3, 4}, new double[] {0, 0, 0}),
        arguments("what fits is still matched", 64, 0, new long[] {1, 2, 3, 4}, new long[] {3, 4},
            new double[] {1, 0, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheShareOfThePrefixRoutedThereBeforeWhenTheRouterSentIt(String name, int kvBlocks,
      int routedTo, long[] routedHashes, long[] scoredHashes, double[] expected) {
    List<TestEngine> engines = PluginHarness.engines(3);
    engines.forEach(e -> e.kvTotal = kvBlocks);
    PrefixCacheScorer scorer = new PrefixCacheScorer(PluginHarness.context(PrefixCacheScorer.TYPE));
    if (routedTo != -2) {
      RoutingRequest earlier = new RoutingRequest(0, 0, 2048, 1000, 100, null, routedHashes);
      PluginHarness.score(scorer, earlier, engines);
      scorer.onRouted(earlier, routedTo);
    }

    double[] scores = PluginHarness.score(scorer, new RoutingRequest(1, 1, 2048, 1000, 100, null, scoredHashes),
        engines);

    assertThat(scores).containsExactly(expected, within(1e-12));
  }
}
