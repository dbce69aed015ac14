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

class RandomPickerTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, seed, candidates, totals (ignored), share of picks per engine
        arguments("default seed, every engine", "1", new int[] {0, 1, 2, 3}, new double[] {9, 0, 0, 0},
            new double[] {0.25, 0.25, 0.25, 0.25}),
        arguments("another seed, two candidates", "7", new int[] {1, 3}, new double[] {0, 9},
            new double[] {0, 0.5, 0, 0.5}),
        arguments("one candidate", "42", new int[] {2}, new double[] {0}, new double[] {0, 0, 1, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldPickEachCandidateAboutEquallyOftenWhateverTheScores(String name, String seed, int[] candidates,
      double[] totals, double[] shares) {
    RandomPicker picker = new RandomPicker(PluginHarness.context(RandomPicker.TYPE, "seed", seed));

    assertThat(PluginHarness.pickShares(picker, 4, totals, 4000, candidates)).containsExactly(shares, within(0.03));
  }

  @Test
  void shouldRepeatForOneSeedAndDifferForAnotherWhenSeededApart() {
    assertThat(picks("1")).isEqualTo(picks("1")).isNotEqualTo(picks("2"));
  }

  private static List<Integer> picks(String seed) {
    return PluginHarness.pickSequence(new RandomPicker(PluginHarness.context(RandomPicker.TYPE, "seed", seed)),
        4, new double[4], 40);
  }
}
