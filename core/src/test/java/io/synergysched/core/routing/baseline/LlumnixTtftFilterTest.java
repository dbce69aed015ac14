package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.routing.TestPriors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixTtftFilterTest {

  static Stream<Arguments> cases() {
    // Priors: a100 steps take 8 + 0.06 ms per token, h100 half that (TestPriors).
    return Stream.of(
        // name, gpus, polled waiting per engine, prompts routed before, prompt, TTFT SLO (NaN: none),
        // parameters, engines kept
        arguments("idle engines all meet a loose SLO", new String[] {"a100", "a100", "h100"}, new int[] {0, 0, 0},
            new int[0], 500, 1000.0, new String[0], List.of(0, 1, 2)),
        arguments("a deep polled queue misses it", new String[] {"a100", "a100"}, new int[] {0, 200},
            new int[0], 500, 1000.0, new String[0], List.of(0)),
        // 8,000 tokens: about 0.49 s on an A100, 0.25 s on an H100.
        arguments("a long prompt only fits the fast class", new String[] {"a100", "h100"}, new int[] {0, 0},
            new int[0], 8000, 400.0, new String[0], List.of(1)),
        arguments("without an SLO the default target applies", new String[] {"a100", "h100"}, new int[] {0, 0},
            new int[0], 8000, Double.NaN, new String[] {"default-ttft-slo-ms", "400"}, List.of(1)),
        arguments("an engine class without a profile is kept", new String[] {"b200", "a100"}, new int[] {500, 500},
            new int[0], 500, 1000.0, new String[0], List.of(0)),
        // Five waiting requests: ~2,600 tokens at the initial 512-token mean, ~20,000 at a 4,000-token mean.
        arguments("the queue is costed at the mean prompt routed so far", new String[] {"a100", "a100"},
            new int[] {5, 0}, new int[] {4000, 4000, 4000}, 100, 1000.0, new String[0], List.of(1)),
        arguments("a short queue at the initial mean fits", new String[] {"a100", "a100"},
            new int[] {5, 0}, new int[0], 100, 1000.0, new String[0], List.of(0, 1)),
        arguments("a smaller assumed token budget drains the queue slower", new String[] {"a100", "a100"},
            new int[] {25, 0}, new int[0], 100, 1000.0, new String[] {"token-budget", "256"}, List.of(1)),
        arguments("the same queue at the default budget fits", new String[] {"a100", "a100"},
            new int[] {25, 0}, new int[0], 100, 1000.0, new String[0], List.of(0, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldKeepTheEnginesWhoseProfiledTtftMeetsTheSloWhenLoadsDiffer(String name, String[] gpus, int[] waiting,
      int[] routedPrompts, int prompt, double sloTtftMs, String[] parameters, List<Integer> expected) {
    LlumnixTtftFilter filter = new LlumnixTtftFilter(PluginHarness.context(LlumnixTtftFilter.TYPE, parameters));
    filter.useEngineClassPriors(TestPriors.A100_AND_H100::get);
    for (int i = 0; i < routedPrompts.length; i++) {
      filter.onRouted(TestEngine.request(i, i, routedPrompts[i]), 0);
    }
    List<TestEngine> engines = new java.util.ArrayList<>();
    for (int i = 0; i < gpus.length; i++) {
      TestEngine e = new TestEngine("e" + i, gpus[i]);
      e.waiting = waiting[i];
      engines.add(e);
    }

    RoutingRequest request = new RoutingRequest(99, 99, prompt, sloTtftMs, 100, null, new long[0]);

    assertThat(PluginHarness.kept(filter, request, engines)).isEqualTo(expected);
  }
}
