package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WeightedRandomPickerTest {

  static Stream<Arguments> cases() {
    // name, totals, candidates (all when empty), share of 20,000 picks per engine
    return Stream.of(
        arguments("proportional to the score", new double[] {1, 2, 1}, new int[0], new double[] {0.25, 0.5, 0.25}),
        arguments("a zero score is never picked", new double[] {0, 0.3, 0.1}, new int[0], new double[] {0, 0.75, 0.25}),
        arguments("no positive score: uniform", new double[] {0, 0, 0, 0}, new int[0],
            new double[] {0.25, 0.25, 0.25, 0.25}),
        arguments("only candidates are picked", new double[] {1, 1, 2}, new int[] {1, 2},
            new double[] {0, 1.0 / 3, 2.0 / 3}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldPickInProportionToTheTotalsWhenScoresDiffer(String name, double[] totals, int[] candidates,
      double[] expected) {
    WeightedRandomPicker picker = new WeightedRandomPicker(PluginHarness.context(WeightedRandomPicker.TYPE));
    double[] candidateTotals = candidates.length == 0 ? totals : new double[candidates.length];
    for (int k = 0; k < candidates.length; k++) {
      candidateTotals[k] = totals[candidates[k]];
    }

    double[] shares = PluginHarness.pickShares(picker, totals.length, candidateTotals, 20_000, candidates);

    assertThat(shares).containsExactly(expected, within(0.015));
  }

  @org.junit.jupiter.api.Test
  void shouldRepeatItsPicksWhenSeededAlike() {
    double[] totals = {0.2, 0.5, 0.3};
    WeightedRandomPicker a = new WeightedRandomPicker(PluginHarness.context(WeightedRandomPicker.TYPE, "seed", "7"));
    WeightedRandomPicker b = new WeightedRandomPicker(PluginHarness.context(WeightedRandomPicker.TYPE, "seed", "7"));

    assertThat(PluginHarness.pickSequence(a, 3, totals, 50)).isEqualTo(PluginHarness.pickSequence(b, 3, totals, 50));
  }
}
