package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CandidateSampleFilterTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, engines, sample-size, candidates kept
        arguments("more engines than d: exactly d", 40, "5", 5),
        arguments("the default d is 16", 64, "", 16),
        arguments("d engines: a no-op", 16, "16", 16),
        arguments("fewer engines than d: a no-op", 3, "5", 3),
        arguments("d = 1", 8, "1", 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldKeepAtMostTheSampleSizeWhenCandidatesRemain(String name, int engines, String sampleSize, int kept) {
    CandidateSampleFilter filter = filter("sample-size", sampleSize);
    List<TestEngine> all = PluginHarness.engines(engines);
    Set<Integer> seen = new HashSet<>();
    for (int round = 0; round < 60; round++) {
      List<Integer> survivors = PluginHarness.kept(filter, TestEngine.request(round, round, 100), all);
      assertThat(survivors).hasSize(kept).doesNotHaveDuplicates().isSorted();
      seen.addAll(survivors);
    }
    assertThat(seen).as("every engine gets sampled sometimes").hasSize(Math.min(engines, 60 * kept));
  }

  @Test
  void shouldSampleTheSameForOneSeedAndOtherwiseForAnotherWhenSeededApart() {
    assertThat(samples("1")).isEqualTo(samples("1")).isNotEqualTo(samples("2"));
  }

  private static List<List<Integer>> samples(String seed) {
    CandidateSampleFilter filter = filter("sample-size", "4", "seed", seed);
    List<List<Integer>> out = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      out.add(PluginHarness.kept(filter, TestEngine.request(round, round, 100), PluginHarness.engines(32)));
    }
    return out;
  }

  private static CandidateSampleFilter filter(String... parameters) {
    return new CandidateSampleFilter(PluginHarness.context(CandidateSampleFilter.TYPE, parameters));
  }
}
