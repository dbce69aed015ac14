package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlumnixInstanceStatusTest {

  static Stream<Arguments> loads() {
    // script (LlumnixFeed), all_prefills_tokens_num of engine 0, its local account's requests
    return Stream.of(
        arguments("nothing routed", "", 0, 0),
        arguments("dispatched prompts no report shows are the local account", "r100 r200", 300, 2),
        arguments("a request the engine reports leaves the account for the report", "r100 q0", 100, 0),
        arguments("a visible step subtracts the prefill tokens it ran", "r100 q0 s60:1", 40, 0),
        arguments("prefix-cache hits reported at the first token were never computed",
            "r1000 q0 s600:1 f0:400", 0, 0),
        arguments("a step with no queue and no prefill says nothing is left", "r100 r300 q0 q1 s0:0", 0, 0),
        arguments("a preempted request is recomputed with its output", "r100 q0 s100:0 p0:20", 120, 0),
        arguments("the gateway's release on the first token empties the account", "r100 t0", 0, 0),
        arguments("an entry no report shows for 10 s expires", "r100 @20000 r50", 50, 1),
        arguments("other engines' load is not this engine's", "r100/1 r50/1 q0", 0, 0),
        arguments("a shed request is dispatched nowhere", "x x", 0, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loads")
  void shouldCountReportedUncomputedPrefillPlusTheLocalAccountWhenEventsArrive(String name, String script,
      long expectedLoad, int expectedInflight) {
    LlumnixInstanceStatus status = new LlumnixFeed().run(script).status();

    assertThat(status.allPrefillTokens(0)).isEqualTo(expectedLoad);
    assertThat(status.inflightRequests(0)).isEqualTo(expectedInflight);
  }

  static Stream<Arguments> ttfts() {
    // TestPriors a100: step ms = 8 + 0.06 per token + 2e-5 per decode context token; h100 half.
    // script, engine gpu, request arrival ms, prompt, predicted TTFT ms
    return Stream.of(
        arguments("an idle engine: one prefill step", "", "a100", 0, 500, 38.0),
        arguments("the fast class halves it", "", "h100", 0, 500, 19.0),
        arguments("a prompt over the token budget takes two chunks", "", "a100", 0, 10_000,
            (8 + 0.06 * 8192) + (8 + 0.06 * 1808)),
        // Llumnix's neutral account also counts a dispatched request in the decode batch (its prompt as context).
        arguments("dispatched work no report shows queues ahead, and joins the decode batch", "r1000", "a100", 0,
            500, 8 + 0.06 * 1500 + 8 + 0.06 + 2e-5 * 1000),
        arguments("reported work ahead, less the time since the report", "@100 r1000 q0 s0:1", "a100", 110, 500,
            8 + 0.06 * 1500 - 10),
        arguments("reported work the elapsed time has drained is not counted", "@100 r1000 q0 s0:1", "a100", 300,
            500, 38.0),
        arguments("each chunk also pays one step of the decode batch", "@100 s0:0:10:10000", "a100", 100, 500,
            38 + 8 + 0.06 * 10 + 2e-5 * 10_000),
        arguments("no profile for the class: no prediction", "", "b200", 0, 500, Double.NaN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ttfts")
  void shouldPredictTtftByChunkedPrefillOnTheProfileWhenLoadAndClassDiffer(String name, String script,
      String gpu, double arrivalMs, int prompt, double expected) {
    LlumnixInstanceStatus status = new LlumnixFeed().run(script).status();
    RoutingRequest request = TestEngine.request(99, arrivalMs, prompt);

    double ttft = status.predictedTtftMs(request, new TestEngine("e0", gpu), 0);

    if (Double.isNaN(expected)) {
      assertThat(ttft).isNaN();
    } else {
      assertThat(ttft).isCloseTo(expected, within(0.02 * expected));
    }
  }
}
