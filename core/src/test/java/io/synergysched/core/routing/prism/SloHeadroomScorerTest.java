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

class SloHeadroomScorerTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  static Stream<Arguments> cases() {
    // score = clip((1 + min(1 - TTFT / target, 1 - TPOT / target)) / 2); targets 1,000 / 100 ms.
    return Stream.of(
        // name, parameters, TTFT, TPOT, reliable, in flight, targets (NaN: none), scores
        arguments("half the slack on both: 0.75", new String[0], new double[] {500}, new double[] {50},
            new boolean[] {true}, new int[] {0}, 1000.0, 100.0, new double[] {0.75}),
        arguments("the tighter of the two decides", new String[0], new double[] {1000, 0}, new double[] {20, 0},
            new boolean[] {true, true}, new int[] {0, 0}, 1000.0, 100.0, new double[] {0.5, 1}),
        arguments("absolute, not min-max: two comfortable engines stay close", new String[0],
            new double[] {100, 200}, new double[] {10, 10}, new boolean[] {true, true}, new int[] {0, 0},
            1000.0, 100.0, new double[] {0.95, 0.9}),
        arguments("far past the target, or refused, clips to 0", new String[0], new double[] {3000, INF},
            new double[] {50, 50}, new boolean[] {true, true}, new int[] {0, 0}, 1000.0, 100.0,
            new double[] {0, 0}),
        arguments("no forecast scores 0", new String[0], new double[] {Double.NaN}, new double[] {50},
            new boolean[] {true}, new int[] {0}, 1000.0, 100.0, new double[] {0}),
        arguments("one cold engine: all ranked by the router's own in-flight count", new String[0],
            new double[] {100, 100, 100}, new double[] {10, 10, 10}, new boolean[] {true, false, true},
            new int[] {3, 1, 2}, 1000.0, 100.0, new double[] {0, 1, 0.5}),
        arguments("a request without targets gets the defaults",
            new String[] {"default-ttft-slo-ms", "500", "default-tpot-slo-ms", "50"}, new double[] {250},
            new double[] {25}, new boolean[] {true}, new int[] {0}, Double.NaN, Double.NaN, new double[] {0.75}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreThePredictedSloHeadroomWhenForecastsDiffer(String name, String[] parameters, double[] ttftMs,
      double[] tpotMs, boolean[] reliable, int[] inFlight, double sloTtftMs, double sloTpotMs, double[] expected) {
    int n = ttftMs.length;
    FixedForecaster forecaster = new FixedForecaster(n);
    System.arraycopy(ttftMs, 0, forecaster.forecasts.ttftMs, 0, n);
    System.arraycopy(tpotMs, 0, forecaster.forecasts.tpotMs, 0, n);
    System.arraycopy(reliable, 0, forecaster.forecasts.reliable, 0, n);
    System.arraycopy(inFlight, 0, forecaster.forecasts.inFlight, 0, n);
    SloHeadroomScorer scorer = new SloHeadroomScorer(
        PluginHarness.context(SloHeadroomScorer.TYPE, forecaster.asShared(), parameters));
    RoutingRequest request = new RoutingRequest(0, 0, 100, sloTtftMs, sloTpotMs, null, new long[0]);

    assertThat(PluginHarness.score(scorer, request, PluginHarness.engines(n))).containsExactly(expected, within(1e-12));
  }
}
