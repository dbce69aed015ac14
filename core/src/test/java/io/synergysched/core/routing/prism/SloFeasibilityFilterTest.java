package io.synergysched.core.routing.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SloFeasibilityFilterTest {

  private static final String[] DEFAULTS = new String[0];
  private static final String[] PRISM = {"ttft-margin", "0.7", "shed-slack", "0.75"};

  static Stream<Arguments> cases() {
    // Targets 1,000 ms / 100 ms unless the request carries none (NaN).
    return Stream.of(
        // name, parameters, predicted TTFT, predicted TPOT, reliable, request TTFT target, kept
        arguments("within the targets at margin 1", DEFAULTS, new double[] {500, 900, 1100},
            new double[] {50, 50, 50}, new boolean[] {true, true, true}, 1000.0, List.of(0, 1)),
        arguments("PRISM's 0.7 TTFT margin", PRISM, new double[] {500, 900, 1100},
            new double[] {50, 50, 50}, new boolean[] {true, true, true}, 1000.0, List.of(0)),
        arguments("the TPOT must fit too", DEFAULTS, new double[] {500, 500},
            new double[] {50, 120}, new boolean[] {true, true}, 1000.0, List.of(0)),
        arguments("none feasible: those within the default slack 1.5", DEFAULTS, new double[] {1200, 1600},
            new double[] {50, 50}, new boolean[] {true, true}, 1000.0, List.of(0)),
        arguments("none within PRISM's slack 0.75 either: empty, to shed", PRISM, new double[] {800, 900},
            new double[] {50, 50}, new boolean[] {true, true}, 1000.0, List.of()),
        arguments("within PRISM's slack", PRISM, new double[] {740, 900},
            new double[] {50, 50}, new boolean[] {true, true}, 1000.0, List.of(0)),
        arguments("an engine without a reliable forecast is kept", DEFAULTS, new double[] {5000, 5000},
            new double[] {50, 50}, new boolean[] {false, true}, 1000.0, List.of(0)),
        arguments("a request without targets gets the defaults", new String[] {"default-ttft-slo-ms", "2000"},
            new double[] {1500, 2500}, new double[] {50, 50}, new boolean[] {true, true}, Double.NaN, List.of(0)),
        arguments("an infinite forecast (refused there) is never feasible", DEFAULTS,
            new double[] {Double.POSITIVE_INFINITY, 100}, new double[] {50, 50}, new boolean[] {true, true}, 1000.0,
            List.of(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldKeepTheEnginesPredictedToMeetTheSloWhenForecastsDiffer(String name, String[] parameters,
      double[] ttftMs, double[] tpotMs, boolean[] reliable, double sloTtftMs, List<Integer> expected) {
    FixedForecaster forecaster = new FixedForecaster(ttftMs.length);
    System.arraycopy(ttftMs, 0, forecaster.forecasts.ttftMs, 0, ttftMs.length);
    System.arraycopy(tpotMs, 0, forecaster.forecasts.tpotMs, 0, tpotMs.length);
    System.arraycopy(reliable, 0, forecaster.forecasts.reliable, 0, reliable.length);
    SloFeasibilityFilter filter = new SloFeasibilityFilter(
        PluginHarness.context(SloFeasibilityFilter.TYPE, forecaster.asShared(), parameters));
    RoutingRequest request = new RoutingRequest(0, 0, 100, sloTtftMs, Double.NaN, null, new long[0]);

    assertThat(PluginHarness.kept(filter, request, PluginHarness.engines(ttftMs.length))).isEqualTo(expected);
  }
}
