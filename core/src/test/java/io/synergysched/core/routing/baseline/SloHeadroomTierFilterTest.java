package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SloHeadroomTierFilterTest {

  static Stream<Arguments> cases() {
    // name, TTFT headroom, TPOT headroom per engine, parameters, share of 4,000 decisions that keeps each set
    return Stream.of(
        arguments("all positive: all kept", new double[] {10, 0, 5}, new double[] {1, 1, 0}, new String[0],
            Map.of(List.of(0, 1, 2), 1.0)),
        arguments("all negative: all kept", new double[] {-10, 5, -1}, new double[] {1, -1, -1}, new String[0],
            Map.of(List.of(0, 1, 2), 1.0)),
        arguments("both tiers: the positive one 99%, the negative one 1%", new double[] {10, -5, 3},
            new double[] {1, 1, -2}, new String[0], Map.of(List.of(0), 0.99, List.of(1, 2), 0.01)),
        arguments("exploration can be turned off", new double[] {10, -5}, new double[] {1, 1},
            new String[] {"epsilon-explore-neg", "0"}, Map.of(List.of(0), 1.0)),
        arguments("exploration can be made a coin toss", new double[] {10, -5}, new double[] {1, 1},
            new String[] {"epsilon-explore-neg", "0.5"}, Map.of(List.of(0), 0.5, List.of(1), 0.5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldKeepOneHeadroomTierWhenPodsMeetOrMissTheTargets(String name, double[] ttft, double[] tpot,
      String[] parameters, Map<List<Integer>, Double> expected) {
    FixedLlmdForecast forecast = new FixedLlmdForecast(ttft, tpot, new int[ttft.length]);
    SloHeadroomTierFilter filter = new SloHeadroomTierFilter(
        PluginHarness.context(SloHeadroomTierFilter.TYPE, forecast.shared(), parameters));
    List<TestEngine> engines = PluginHarness.engines(ttft.length);
    int decisions = 4000;
    Map<List<Integer>, Double> shares = new HashMap<>();
    for (int i = 0; i < decisions; i++) {
      shares.merge(PluginHarness.kept(filter, TestEngine.request(i, i, 100), engines), 1.0 / decisions, Double::sum);
    }

    assertThat(shares.keySet()).isEqualTo(expected.keySet());
    expected.forEach((set, share) -> assertThat(shares.get(set)).as("%s", set).isCloseTo(share, within(0.025)));
  }

  @org.junit.jupiter.api.Test
  void shouldLeaveASingleCandidateAloneWhenItsHeadroomIsNegative() {
    FixedLlmdForecast forecast = new FixedLlmdForecast(new double[] {-1, 5}, new double[] {1, 1}, new int[2]);
    SloHeadroomTierFilter filter = new SloHeadroomTierFilter(
        PluginHarness.context(SloHeadroomTierFilter.TYPE, forecast.shared()));
    List<TestEngine> engines = PluginHarness.engines(2);
    io.synergysched.core.routing.Candidates only = PluginHarness.candidates(engines, 0);

    filter.filter(TestEngine.request(1, 1, 100), engines, only);

    assertThat(PluginHarness.engineIndexes(only)).containsExactly(0);
  }
}
