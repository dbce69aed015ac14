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

class PowerOfTwoPickerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, candidates (none: all of 3), totals per candidate, share of picks per engine
        arguments("one candidate is chosen", new int[] {1}, new double[] {0}, new double[] {0, 1, 0}),
        arguments("of two, both are drawn and the better wins", new int[] {0, 2}, new double[] {1, 5},
            new double[] {0, 0, 1}),
        // Two distinct of three: the best wins whenever drawn (2/3), the middle only against the worst.
        arguments("of three, the worst never wins", new int[0], new double[] {3, 2, 1},
            new double[] {2.0 / 3, 1.0 / 3, 0}),
        arguments("a tie goes to the first drawn: uniform", new int[0], new double[] {1, 1, 1},
            new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldKeepTheBetterOfTwoRandomCandidatesWhenPicking(String name, int[] candidates, double[] totals,
      double[] shares) {
    PowerOfTwoPicker picker = new PowerOfTwoPicker(PluginHarness.context(PowerOfTwoPicker.TYPE));

    assertThat(PluginHarness.pickShares(picker, 3, totals, 3000, candidates)).containsExactly(shares, within(0.04));
  }

  @Test
  void shouldDrawTheSamePairsForOneSeedAndOthersForAnotherWhenSeededApart() {
    assertThat(picks("1")).isEqualTo(picks("1")).isNotEqualTo(picks("3"));
  }

  private static List<Integer> picks(String seed) {
    return PluginHarness.pickSequence(
        new PowerOfTwoPicker(PluginHarness.context(PowerOfTwoPicker.TYPE, "seed", seed)), 5,
        new double[] {5, 4, 3, 2, 1}, 40);
  }
}
