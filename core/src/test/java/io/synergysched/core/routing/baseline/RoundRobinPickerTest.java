package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundRobinPickerTest {

  private static final int[] ALL = {0, 1, 2};

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, candidate set per decision, engines chosen
        arguments("cycles over every engine", List.of(ALL, ALL, ALL, ALL, ALL, ALL), List.of(0, 1, 2, 0, 1, 2)),
        arguments("skips engines the filters removed", List.of(new int[] {0, 2}, new int[] {0, 2}, new int[] {0, 2}),
            List.of(0, 2, 0)),
        arguments("the cursor moves past the engine chosen", List.of(ALL, new int[] {0, 2}, ALL, ALL),
            List.of(0, 2, 0, 1)),
        arguments("wraps to the first candidate after the last", List.of(new int[] {2}, new int[] {1}, ALL),
            List.of(2, 1, 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldTakeTheFirstCandidateAtOrAfterTheCursorWhenCycling(String name, List<int[]> candidateSets,
      List<Integer> expected) {
    List<TestEngine> engines = PluginHarness.engines(3);
    RoundRobinPicker picker = new RoundRobinPicker();
    List<Integer> chosen = new ArrayList<>();
    for (int[] set : candidateSets) {
      chosen.add(PluginHarness.pick(picker, TestEngine.request(chosen.size(), 0, 100), engines,
          new double[] {9, 5, 1}, set));
    }

    assertThat(chosen).isEqualTo(expected);
  }
}
