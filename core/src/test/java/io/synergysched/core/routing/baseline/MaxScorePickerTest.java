package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MaxScorePickerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, candidates (none: all of 3), totals per candidate, share of picks per engine
        arguments("the single highest total", new int[0], new double[] {0.1, 0.9, 0.5}, new double[] {0, 1, 0}),
        arguments("totals are per candidate, the pick an engine", new int[] {1, 2}, new double[] {0.2, 0.7},
            new double[] {0, 0, 1}),
        arguments("a tie is broken uniformly", new int[0], new double[] {1, 1, 0}, new double[] {0.5, 0.5, 0}),
        arguments("totals within 1e-12 tie", new int[0], new double[] {1, 1 + 1e-13, 1 + 2e-13},
            new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}),
        arguments("negative totals still pick the highest", new int[0], new double[] {-3, -1, -2},
            new double[] {0, 1, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldPickTheHighestTotalAndSplitTiesEvenlyWhenScored(String name, int[] candidates, double[] totals,
      double[] shares) {
    MaxScorePicker picker = new MaxScorePicker(PluginHarness.context(MaxScorePicker.TYPE));

    assertThat(PluginHarness.pickShares(picker, 3, totals, 3000, candidates)).containsExactly(shares, within(0.04));
  }

  @Test
  void shouldBreakTiesTheSameWayForOneSeedAndDifferentlyForAnotherWhenSeededApart() {
    assertThat(tieBreaks("1")).isEqualTo(tieBreaks("1")).isNotEqualTo(tieBreaks("9"));
  }

  private static List<Integer> tieBreaks(String seed) {
    return PluginHarness.pickSequence(new MaxScorePicker(PluginHarness.context(MaxScorePicker.TYPE, "seed", seed)),
        4, new double[4], 40);
  }
}
