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

class LatencyHeadroomScorerTest {

  /** llm-d's integer weight over 101 (see the class comment). */
  private static double w(int weight) {
    return weight / 101.0;
  }

  static Stream<Arguments> cases() {
    // name, TTFT headroom, TPOT headroom, dispatched per engine, parameters, scores
    return Stream.of(
        // |TTFT| 10, 30, 50 -> 0, 0.5, 1; |TPOT| 2, 2, 2 has no range, so TTFT takes all the weight.
        arguments("least: the pod closest to the target wins", new double[] {10, 30, 50}, new double[] {2, 2, 2},
            new int[3], new String[0], new double[] {w(101), w(51), w(1)}),
        arguments("most: the pod with the most headroom wins", new double[] {10, 30, 50}, new double[] {2, 2, 2},
            new int[3], new String[] {"headroom-selection-strategy", "most"}, new double[] {w(1), w(51), w(101)}),
        // TTFT 0, 1 and TPOT 1, 0 blend to 0.2 and 0.8; (1 - 0.8) x 100 is 19.99... in doubles, as in llm-d's Go.
        arguments("both dimensions blend 0.8 : 0.2", new double[] {10, 20}, new double[] {5, 1}, new int[2],
            new String[0], new double[] {w(81), w(20)}),
        arguments("a custom blend", new double[] {10, 20}, new double[] {5, 1}, new int[2],
            new String[] {"ttft-weight", "1", "tpot-weight", "1"}, new double[] {w(51), w(51)}),
        arguments("all equal: the neutral 0.5", new double[] {5, 5}, new double[] {1, 1}, new int[2], new String[0],
            new double[] {w(51), w(51)}),
        arguments("positive pods only: the negative ones get 0", new double[] {10, -5, 30}, new double[] {1, 1, 1},
            new int[3], new String[0], new double[] {w(101), 0, w(1)}),
        arguments("all negative: only the idle pods are scored", new double[] {-10, -50, -30},
            new double[] {-1, -1, -1}, new int[] {2, 0, 0}, new String[0], new double[] {0, w(1), w(101)}),
        arguments("all negative and busy: TPOT-only misses before TTFT misses", new double[] {-10, 5, -1},
            new double[] {-1, -1, 2}, new int[] {1, 1, 1}, new String[0], new double[] {0, w(51), 0}),
        arguments("then TTFT-only misses before both", new double[] {-10, -5, -1}, new double[] {-1, 1, 2},
            new int[] {1, 1, 1}, new String[0], new double[] {0, w(20), w(81)}),
        arguments("negative headroom always bin-packs (least), even under most", new double[] {-10, -30},
            new double[] {-1, -1}, new int[] {1, 1}, new String[] {"headroom-selection-strategy", "most"},
            new double[] {w(101), w(1)}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreHeadroomAsLlmdsLatencyScorerWhenPodsMeetOrMissTheTargets(String name, double[] ttft,
      double[] tpot, int[] dispatched, String[] parameters, double[] expected) {
    FixedLlmdForecast forecast = new FixedLlmdForecast(ttft, tpot, dispatched);
    LatencyHeadroomScorer scorer = new LatencyHeadroomScorer(
        PluginHarness.context(LatencyHeadroomScorer.TYPE, forecast.shared(), parameters));

    double[] scores = PluginHarness.score(scorer, TestEngine.request(1, 1, 100), PluginHarness.engines(ttft.length));

    assertThat(scores).containsExactly(expected, within(1e-12));
  }
}
