package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionAffinityPickerTest {

  private final List<TestEngine> engines = PluginHarness.engines(4);

  static Stream<Arguments> withoutSession() {
    return Stream.of(
        // name, qps-window-ms, (time, engine) routed before, arrival of the request, engine chosen
        arguments("the engine with the fewest requests in the window", "60000",
            new double[][] {{0, 0}, {0, 0}, {0, 1}, {0, 2}}, 10.0, 3),
        arguments("ties go to the lowest engine index", "60000",
            new double[][] {{0, 0}, {0, 1}, {0, 2}, {0, 3}}, 10.0, 0),
        arguments("requests older than the window no longer count", "1000",
            new double[][] {{0, 1}, {0, 2}, {0, 3}, {500, 0}}, 1200.0, 1),
        arguments("a wider window still counts them", "2000",
            new double[][] {{0, 1}, {0, 2}, {0, 3}, {500, 0}}, 1200.0, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutSession")
  void shouldPickTheLowestMeasuredRateWhenTheRequestHasNoSession(String name, String window,
      double[][] routed, double arrivalMs, int expected) {
    SessionAffinityPicker picker = picker("qps-window-ms", window);
    for (int i = 0; i < routed.length; i++) {
      picker.onRouted(TestEngine.request(i, routed[i][0], 100), (int) routed[i][1]);
    }

    assertThat(PluginHarness.pick(picker, TestEngine.request(99, arrivalMs, 100), engines, new double[4]))
        .isEqualTo(expected);
  }

  @Test
  void shouldKeepASessionOnOneEngineWhenLoadsChange() {
    SessionAffinityPicker picker = picker();
    int first = PluginHarness.pick(picker, session(0, "s-42"), engines, new double[4]);
    for (int i = 1; i < 20; i++) {
      picker.onRouted(session(i, "s-42"), first);
      assertThat(PluginHarness.pick(picker, session(i, "s-42"), engines, new double[4])).isEqualTo(first);
    }
  }

  @Test
  void shouldSpreadSessionsOverTheRingWhenThereAreMany() {
    SessionAffinityPicker picker = picker();
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      used.add(PluginHarness.pick(picker, session(i, "s-" + i), engines, new double[4]));
    }
    assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void shouldMoveToTheNextCandidateOnTheRingWhenTheSessionEngineIsFilteredOut() {
    SessionAffinityPicker picker = picker();
    int home = PluginHarness.pick(picker, session(0, "s-7"), engines, new double[4]);
    int[] others = java.util.stream.IntStream.range(0, 4).filter(e -> e != home).toArray();

    int moved = PluginHarness.pick(picker, session(1, "s-7"), engines, new double[3], others);

    assertThat(moved).isNotEqualTo(home).isIn(0, 1, 2, 3);
    assertThat(PluginHarness.pick(picker, session(2, "s-7"), engines, new double[4])).isEqualTo(home);
  }

  @Test
  void shouldPlaceSessionsDifferentlyWhenTheRingHasOtherVirtualNodes() {
    Set<List<Integer>> placements = new HashSet<>();
    for (String nodes : new String[] {"1", "40"}) {
      SessionAffinityPicker picker = picker("virtual-nodes", nodes);
      List<Integer> placed = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        placed.add(PluginHarness.pick(picker, session(i, "s-" + i), engines, new double[4]));
      }
      placements.add(placed);
    }
    assertThat(placements).hasSize(2);
  }

  private static SessionAffinityPicker picker(String... parameters) {
    return new SessionAffinityPicker(PluginHarness.context(SessionAffinityPicker.TYPE, parameters));
  }

  private static RoutingRequest session(long id, String session) {
    return new RoutingRequest(id, id, 100, 1000, 100, session, new long[0]);
  }
}
