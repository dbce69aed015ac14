package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SglangCacheAwarePickerTest {

  private static final String[] DEFAULTS = {};

  static Stream<Arguments> cases() {
    // Events, in order: "pE:H,H,..@T" the prompt with these 512-token hashes (prompt = 512 x count)
    // picked and sent to engine E at T ms; "pE:-@T" a 1,000-token prompt without hashes; "lE*N" N
    // requests sent to E without a pick (load only, not in its tree); "fE*N" / "xE*N" N of them
    // finished / rejected; "s" a shed decision. Then the request (hashes; "-" none) at its time.
    return Stream.of(
        arguments("cold start: every tree empty, the lowest index", DEFAULTS, "", "1,2,3,4", 0.0, 0),
        arguments("a prompt that matches nothing goes to the smallest tree", DEFAULTS,
            "p0:1,2,3,4@0", "7,8,9,10", 1.0, 1),
        arguments("the whole prefix on e0: cache wins over the smaller trees", DEFAULTS,
            "p0:1,2,3,4@0 p1:5@0", "1,2,3,4", 1.0, 0),
        arguments("half the prompt matches: above 0.3, e0", DEFAULTS, "p0:1,2,3,4@0", "1,2,8,9", 1.0, 0),
        arguments("a quarter matches: not above 0.3, the smallest tree", DEFAULTS, "p0:1,2,3,4@0", "1,8,9,10",
            1.0, 1),
        arguments("a higher cache-threshold turns a half match away", new String[] {"cache-threshold", "0.6"},
            "p0:1,2,3,4@0", "1,2,8,9", 1.0, 1),
        arguments("a match counts from the first block only", DEFAULTS, "p0:1,2,3,4@0", "9,2,3,4", 1.0, 1),
        arguments("smallest tree in tokens: 1 block on e1 beats 4 on e0", DEFAULTS,
            "p0:1,2,3,4@0 p1:5@0 p2:6,7@0 p3:11,12,13@0", "20,21,22,23", 1.0, 1),
        arguments("a prompt without hashes is distinct text: it grows its engine's tree", DEFAULTS,
            "p0:-@0", "-", 1.0, 1),
        arguments("imbalanced (70 - 0 > 64, 70 > 1.5 x 0): the least loaded, not the cache", DEFAULTS,
            "p0:1,2,3,4@0 l0*69", "1,2,3,4", 1.0, 1),
        arguments("max - min = 64 is not above 64: still by cache", DEFAULTS, "p0:1,2,3,4@0 l0*63", "1,2,3,4",
            1.0, 0),
        arguments("the least loaded wins on load alone, even with the biggest tree", DEFAULTS,
            "p1:1,2,3,4@0 l0*70 l2*70 l3*70", "5,6", 1.0, 1),
        arguments("max 210 is not above 1.5 x 145: balanced", DEFAULTS,
            "p0:1,2,3,4@0 l0*209 l1*145 l2*145 l3*145", "1,2,3,4", 1.0, 0),
        arguments("max 220 is above 1.5 x 145: imbalanced", DEFAULTS,
            "p0:1,2,3,4@0 l0*219 l1*145 l2*145 l3*145", "1,2,3,4", 1.0, 1),
        arguments("finished requests leave the count: balanced again", DEFAULTS,
            "p0:1,2,3,4@0 l0*69 f0*10", "1,2,3,4", 1.0, 0),
        arguments("so do rejected ones", DEFAULTS, "p0:1,2,3,4@0 l0*69 x0*10", "1,2,3,4", 1.0, 0),
        arguments("a shed decision counts nowhere", DEFAULTS, "p0:1,2,3,4@0 s s", "1,2,3,4", 1.0, 0),
        arguments("before the first sweep e0 keeps the whole prompt",
            new String[] {"max-tree-size-tokens", "1024", "eviction-interval-s", "1", "cache-threshold", "0.6"},
            "p0:1,2,3,4@0", "1,2,3,4", 900.0, 0),
        arguments("a sweep cuts e0 to 1,024 tokens, leaves first: only half matches",
            new String[] {"max-tree-size-tokens", "1024", "eviction-interval-s", "1", "cache-threshold", "0.6"},
            "p0:1,2,3,4@0", "1,2,3,4", 1000.0, 1),
        arguments("what the sweep kept is the root side of the path",
            new String[] {"max-tree-size-tokens", "1024", "eviction-interval-s", "1", "cache-threshold", "0.4"},
            "p0:1,2,3,4@0", "1,2,8,9", 1000.0, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldRouteByLoadThenCacheThenTreeSizeWhenTheRouterSentAndHeardBack(String name, String[] params,
      String events, String hashes, double arrivalMs, int expected) {
    List<TestEngine> engines = PluginHarness.engines(4);
    SglangCacheAwarePicker picker = new SglangCacheAwarePicker(PluginHarness.context(SglangCacheAwarePicker.TYPE,
        params));
    long id = 0;
    for (String e : events.split(" ")) {
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("s")) {
        picker.onRouted(TestEngine.request(id++, 0, 100), Router.SHED);
        continue;
      }
      int engine = e.charAt(1) - '0';
      if (e.charAt(0) == 'p') {
        String[] at = e.substring(3).split("@");
        RoutingRequest r = request(id++, at[0], Double.parseDouble(at[1]));
        PluginHarness.pick(picker, r, engines, new double[4]);
        picker.onRouted(r, engine);
        continue;
      }
      int times = Integer.parseInt(e.substring(3));
      for (int i = 0; i < times; i++) {
        switch (e.charAt(0)) {
          case 'l' -> picker.onRouted(TestEngine.request(id++, 0, 100), engine);
          case 'f' -> picker.onResponse(engine, event(RequestPhase.FINISHED));
          case 'x' -> picker.onResponse(engine, event(RequestPhase.REJECTED));
          default -> throw new IllegalArgumentException(e);
        }
      }
    }

    int chosen = PluginHarness.pick(picker, request(id, hashes, arrivalMs), engines, new double[4]);

    assertThat(picker.observesEngines()).isTrue();
    assertThat(chosen).isEqualTo(expected);
  }

  @Test
  void shouldCountItsOwnInFlightRequestsAndGrowTheChosenTreeWhenItRoutes() {
    List<TestEngine> engines = PluginHarness.engines(2);
    SglangCacheAwarePicker picker = new SglangCacheAwarePicker(PluginHarness.context(SglangCacheAwarePicker.TYPE));
    RoutingRequest r = new RoutingRequest(0, 0, 1300, 1000, 100, null, new long[] {1, 2, 3});

    int chosen = PluginHarness.pick(picker, r, engines, new double[2]);
    picker.onRouted(r, chosen);
    picker.onRouted(TestEngine.request(1, 0, 100), 1);
    picker.onResponse(1, event(RequestPhase.FIRST_TOKEN));

    assertThat(chosen).isZero();
    assertThat(picker.treeTokens(0)).as("512 + 512 + the 276-token tail").isEqualTo(1300);
    assertThat(picker.treeTokens(1)).as("a request it did not pick is not in a tree").isZero();
    assertThat(new int[] {picker.inFlight(0), picker.inFlight(1)}).containsExactly(1, 1);
  }

  @Test
  void shouldSpreadDistinctPromptsOverTheEnginesWhenNoneMatches() {
    List<TestEngine> engines = PluginHarness.engines(4);
    SglangCacheAwarePicker picker = new SglangCacheAwarePicker(PluginHarness.context(SglangCacheAwarePicker.TYPE));
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      RoutingRequest r = new RoutingRequest(i, i, 1024, 1000, 100, null, new long[] {100 + 2L * i, 101 + 2L * i});
      int e = PluginHarness.pick(picker, r, engines, new double[4]);
      picker.onRouted(r, e);
      chosen.add(e);
    }
    assertThat(chosen).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
  }

  private static RoutingRequest request(long id, String hashes, double arrivalMs) {
    if (hashes.equals("-")) {
      return new RoutingRequest(id, arrivalMs, 1000, 1000, 100, null, new long[0]);
    }
    long[] h = Arrays.stream(hashes.split(",")).mapToLong(Long::parseLong).toArray();
    return new RoutingRequest(id, arrivalMs, 512 * h.length, 1000, 100, null, h);
  }

  private static RequestObservation event(RequestPhase phase) {
    return new RequestObservation("e", 0, phase, 1, 100, 1, 0);
  }
}
