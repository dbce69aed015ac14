package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixTtftFilterTest {

  static Stream<Arguments> cases() {
    // Profiles: a100 steps take 8 + 0.06 ms per token, h100 half that (TestPriors); a 500-token
    // prompt is predicted at 38 ms on an idle a100, 19 ms on an idle h100.
    // name, script (LlumnixFeed), gpus, prompt, TTFT target (NaN: none), parameters, engines kept
    return Stream.of(
        arguments("idle engines all pass a loose target", "", new String[] {"a100", "h100"}, 500, 1000.0,
            new String[0], List.of(0, 1)),
        arguments("the threshold is 0.85 of the target: 38 ms misses 0.85 x 40", "", new String[] {"a100", "h100"},
            500, 40.0, new String[0], List.of(1)),
        arguments("a threshold of 1 keeps it", "", new String[] {"a100", "h100"}, 500, 40.0,
            new String[] {"ttft-slo-dispatch-threshold", "1"}, List.of(0, 1)),
        arguments("work dispatched but not yet reported counts", "r5000", new String[] {"a100", "a100"}, 500, 200.0,
            new String[0], List.of(1)),
        arguments("no instance in time leaves the set empty", "r5000 r5000/1", new String[] {"a100", "a100"}, 500,
            200.0, new String[0], List.of()),
        arguments("without a target the default applies", "", new String[] {"a100", "h100"}, 500, Double.NaN,
            new String[] {"default-ttft-slo-ms", "40"}, List.of(1)),
        arguments("an instance of a class without a profile is kept", "r5000/1", new String[] {"b200", "a100"}, 500,
            200.0, new String[0], List.of(0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldKeepTheInstancesPredictedBelowTheThresholdWhenLoadsAndClassesDiffer(String name, String script,
      String[] gpus, int prompt, double sloTtftMs, String[] parameters, List<Integer> expected) {
    LlumnixFeed feed = new LlumnixFeed().run(script);
    LlumnixTtftFilter filter = new LlumnixTtftFilter(
        PluginHarness.context(LlumnixTtftFilter.TYPE, feed.shared(), parameters));
    List<TestEngine> engines = new ArrayList<>();
    for (int i = 0; i < gpus.length; i++) {
      engines.add(new TestEngine("e" + i, gpus[i]));
    }
    RoutingRequest request = new RoutingRequest(99, feed.clockMs(), prompt, sloTtftMs, 100, null, new long[0]);

    assertThat(PluginHarness.kept(filter, request, engines)).isEqualTo(expected);
  }
}
