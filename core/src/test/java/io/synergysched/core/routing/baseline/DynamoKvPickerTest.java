package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DynamoKvPickerTest {

  private static final String[] DEFAULTS = {};
  private static final int[] ANY = {0, 1, 2};
  /** Prompts of 1,024 tokens (64 KV blocks of 16); A and D share their first 512 tokens. */
  private static final Map<Character, long[]> PROMPTS = Map.of(
      'A', new long[] {1, 2}, 'B', new long[] {5, 6}, 'C', new long[] {7, 8}, 'D', new long[] {1, 3});

  static Stream<Arguments> cases() {
    // Events: "rE:P@T" prompt P picked and sent to engine E at T ms; "tE:P", "fE:P", "xE:P" the first
    // token, completion, rejection of the last request of prompt P; "s" a shed decision. Then the
    // prompt picked for, at its time; the logits of e0, e1, e2 = 1 x (prefill tokens left + this
    // prompt past its overlap) / 16 + distinct active blocks with this prompt's; the engines it may pick.
    return Stream.of(
        arguments("nothing routed: 64 + 64 everywhere, trees equal: at random", DEFAULTS, "", 'A', 0.0,
            new double[] {128, 128, 128}, ANY),
        arguments("A prefilling on e0 saves nothing yet; the tie goes to a smaller tree", DEFAULTS, "r0:A@0", 'A',
            1.0, new double[] {128, 128, 128}, new int[] {1}),
        arguments("A's first token came: 0 + 64 on e0", DEFAULTS, "r0:A@0 t0:A", 'A', 1.0,
            new double[] {64, 128, 128}, new int[] {0}),
        arguments("A finished: the ledger forgets it, the tree does not", DEFAULTS, "r0:A@0 t0:A f0:A", 'A', 1.0,
            new double[] {64, 128, 128}, new int[] {0}),
        arguments("a rejection frees it the same way", DEFAULTS, "r0:A@0 x0:A", 'A', 1.0,
            new double[] {64, 128, 128}, new int[] {0}),
        arguments("120 s after A was routed its blocks expire", DEFAULTS, "r0:A@0 t0:A f0:A", 'A', 120_001.0,
            new double[] {128, 128, 128}, ANY),
        arguments("a shorter ttl-s forgets sooner", new String[] {"ttl-s", "10"}, "r0:A@0 t0:A f0:A", 'A', 10_001.0,
            new double[] {128, 128, 128}, ANY),
        arguments("routing A again refreshes its blocks", DEFAULTS, "r0:A@0 t0:A f0:A r0:A@100000 t0:A f0:A", 'A',
            150_000.0, new double[] {64, 128, 128}, new int[] {0}),
        arguments("B decoding on e0: 64 + (64 + 64)", DEFAULTS, "r0:B@0 t0:B", 'A', 1.0,
            new double[] {192, 128, 128}, new int[] {1, 2}),
        arguments("overlap-score-weight 0: decode blocks alone", new String[] {"overlap-score-weight", "0"},
            "r0:B@0 t0:B", 'A', 1.0, new double[] {128, 64, 64}, new int[] {1, 2}),
        arguments("B still prefilling on e0 adds its 64 prefill blocks", DEFAULTS, "r0:B@0", 'A', 1.0,
            new double[] {256, 128, 128}, new int[] {1, 2}),
        arguments("D shares half of A: 32 + 64 on e0; B decoding on e1", DEFAULTS, "r0:A@0 t0:A f0:A r1:B@0 t1:B",
            'D', 1.0, new double[] {96, 192, 128}, new int[] {0}),
        arguments("active requests hold a shared block once: 64 + (64 + 64), 64 + (96 + 64)", DEFAULTS,
            "r0:B@0 t0:B r0:B@1 t0:B r1:A@1 t1:A r1:D@1 t1:D", 'C', 2.0, new double[] {192, 224, 128},
            new int[] {2}),
        arguments("a shed decision records nothing", DEFAULTS, "s", 'A', 1.0, new double[] {128, 128, 128}, ANY),
        arguments("past max-tree-size-blocks the oldest blocks go: e0 forgets A first",
            new String[] {"max-tree-size-blocks", "100", "prune-target-ratio", "0.5"},
            "r0:A@0 t0:A f0:A r1:B@10 t1:B f1:B", 'A', 20.0, new double[] {128, 128, 128}, new int[] {0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldPickTheLowestPrefillPlusDecodeCostWhenTheRouterKeepsItsLedger(String name, String[] params,
      String events, char prompt, double arrivalMs, double[] logits, int[] allowed) {
    List<TestEngine> engines = PluginHarness.engines(3);
    DynamoKvPicker picker = new DynamoKvPicker(PluginHarness.context(DynamoKvPicker.TYPE, params));
    Map<Character, Long> lastId = new HashMap<>();
    long id = 0;
    for (String e : events.split(" ")) {
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("s")) {
        RoutingRequest r = request(id++, 'A', 0);
        PluginHarness.pick(picker, r, engines, new double[3]);
        picker.onRouted(r, Router.SHED);
        continue;
      }
      int engine = e.charAt(1) - '0';
      char p = e.charAt(3);
      switch (e.charAt(0)) {
        case 'r' -> {
          RoutingRequest r = request(id++, p, Double.parseDouble(e.substring(5)));
          PluginHarness.pick(picker, r, engines, new double[3]);
          picker.onRouted(r, engine);
          lastId.put(p, r.requestId());
        }
        case 't' -> picker.onResponse(engine, event(lastId.get(p), RequestPhase.FIRST_TOKEN));
        case 'f' -> picker.onResponse(engine, event(lastId.get(p), RequestPhase.FINISHED));
        case 'x' -> picker.onResponse(engine, event(lastId.get(p), RequestPhase.REJECTED));
        default -> throw new IllegalArgumentException(e);
      }
    }

    int chosen = PluginHarness.pick(picker, request(id, prompt, arrivalMs), engines, new double[3]);

    assertThat(picker.observesEngines()).isTrue();
    assertThat(new double[] {picker.lastLogit(0), picker.lastLogit(1), picker.lastLogit(2)})
        .containsExactly(logits, within(1e-9));
    assertThat(allowed).contains(chosen);
  }

  @Test
  void shouldKeepPrefillTokensUntilTheFirstTokenAndBlocksUntilCompletionWhenARequestLives() {
    List<TestEngine> engines = PluginHarness.engines(2);
    DynamoKvPicker picker = new DynamoKvPicker(PluginHarness.context(DynamoKvPicker.TYPE));
    RoutingRequest first = new RoutingRequest(0, 0, 1030, 1000, 100, null, new long[] {1, 2, 3});
    PluginHarness.pick(picker, first, engines, new double[2]);
    picker.onRouted(first, 1);
    RoutingRequest again = new RoutingRequest(1, 1, 1030, 1000, 100, null, new long[] {1, 2, 3});
    PluginHarness.pick(picker, again, engines, new double[2]);
    picker.onRouted(again, 1);

    long prefillBoth = picker.prefillTokens(1);
    int blocksBoth = picker.activeBlocks(1);
    picker.onResponse(1, event(0, RequestPhase.FIRST_TOKEN));
    long prefillSecond = picker.prefillTokens(1);
    picker.onResponse(1, event(0, RequestPhase.FINISHED));
    int blocksSecond = picker.activeBlocks(1);
    picker.onResponse(1, event(1, RequestPhase.FINISHED));

    assertThat(prefillBoth).as("1,030 tokens, then the 6 past the 64 full blocks the first left").isEqualTo(1036);
    assertThat(blocksBoth).as("64 full blocks of 16, shared").isEqualTo(64);
    assertThat(prefillSecond).isEqualTo(6);
    assertThat(blocksSecond).as("still held by the second").isEqualTo(64);
    assertThat(picker.activeBlocks(1)).isZero();
    assertThat(picker.prefillTokens(1)).as("a completion ends a prefill its first token never reported").isZero();
  }

  @Test
  void shouldSampleBySoftmaxOfTheLogitsWhenTheTemperatureIsPositive() {
    List<TestEngine> engines = PluginHarness.engines(3);
    DynamoKvPicker picker = new DynamoKvPicker(PluginHarness.context(DynamoKvPicker.TYPE, "router-temperature", "1"));
    RoutingRequest a = request(0, 'A', 0);
    PluginHarness.pick(picker, a, engines, new double[3]);
    picker.onRouted(a, 0);
    picker.onResponse(0, event(0, RequestPhase.FIRST_TOKEN));
    int[] counts = new int[3];
    int draws = 4000;
    for (int i = 0; i < draws; i++) {
      counts[PluginHarness.pick(picker, request(1, 'A', 1), engines, new double[3])]++;
    }
    // Logits 64, 128, 128: weights exp(0), exp(-1), exp(-1).
    assertThat(counts[0] / (double) draws).isCloseTo(1 / (1 + 2 / Math.E), within(0.03));
    assertThat(counts[1] / (double) draws).isCloseTo(Math.exp(-1) / (1 + 2 / Math.E), within(0.03));
  }

  @Test
  void shouldRouteARepeatedPromptBackWhenTheProfileRunsIt() {
    Router router = RouterRegistry.create("dynamo-kv");
    List<TestEngine> engines = PluginHarness.engines(3);
    int first = router.route(request(0, 'A', 0), engines);
    router.onResponse(first, event(0, RequestPhase.FIRST_TOKEN));

    assertThat(router.route(request(1, 'A', 1), engines)).as("0 + 64 against 64 + 64").isEqualTo(first);
    assertThat(router.route(request(2, 'B', 2), engines)).as("an idle engine for a new prompt").isNotEqualTo(first);
  }

  private static RoutingRequest request(long id, char prompt, double arrivalMs) {
    return new RoutingRequest(id, arrivalMs, 1024, 1000, 100, null, PROMPTS.get(prompt));
  }

  private static RequestObservation event(long requestId, RequestPhase phase) {
    return new RequestObservation("e", requestId, phase, 1, 100, 1, 0);
  }
}
