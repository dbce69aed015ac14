package io.synergysched.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineRoutersTest {

  private final List<TestEngine> engines = List.of(
      new TestEngine("e0", "a100"), new TestEngine("e1", "a100"), new TestEngine("e2", "a100"));

  @Test
  void shouldCycleThroughEnginesWhenRoundRobin() {
    Router r = RouterRegistry.create("round-robin");
    int[] picks = new int[6];
    for (int i = 0; i < 6; i++) {
      picks[i] = r.route(TestEngine.request(i, i, 100), engines);
    }
    assertEquals(List.of(0, 1, 2, 0, 1, 2), java.util.Arrays.stream(picks).boxed().toList());
  }

  @Test
  void shouldPickTheShortestPolledQueueWhenQueueDepth() {
    engines.get(0).waiting = 5;
    engines.get(1).waiting = 1;
    engines.get(2).waiting = 3;
    assertEquals(1, RouterRegistry.create("queue-depth").route(TestEngine.request(0, 0, 100), engines));
  }

  @Test
  void shouldWeighQueueAndKvWhenLlmdDefault() {
    // e0: shortest queue but a full cache; e2: empty cache, middle queue. 2*q + 2*kv decides.
    engines.get(0).waiting = 0;
    engines.get(0).kvUsed = 7000;
    engines.get(1).waiting = 10;
    engines.get(1).kvUsed = 3500;
    engines.get(2).waiting = 4;
    engines.get(2).kvUsed = 0;
    assertEquals(2, RouterRegistry.create("llm-d-default").route(TestEngine.request(0, 0, 100), engines));
  }

  @Test
  void shouldFollowPrefixWhenLlmdDefaultSeesARepeatedPrefix() {
    Router r = RouterRegistry.create("llm-d-default");
    long[] hashes = {1, 2, 3, 4};
    RoutingRequest first = new RoutingRequest(0, 0, 2048, 1000, 100, null, hashes);
    int chosen = r.route(first, engines);
    RoutingRequest again = new RoutingRequest(1, 1, 2048, 1000, 100, null, hashes);
    assertEquals(chosen, r.route(again, engines));
  }

  @Test
  void shouldCountOwnInFlightWhenLeastRequestLocalAndTelemetryIsSilent() {
    Router r = RouterRegistry.create("least-request-local");
    int a = r.route(TestEngine.request(0, 0, 100), engines);
    int b = r.route(TestEngine.request(1, 0, 100), engines);
    int c = r.route(TestEngine.request(2, 0, 100), engines);
    assertEquals(3, java.util.Set.of(a, b, c).size(), "a burst spreads over all engines");
    r.onResponse(b, new RequestObservation("e", 1, RequestPhase.FINISHED, 5, 100, 10, 0));
    assertEquals(b, r.route(TestEngine.request(3, 6, 100), engines), "the engine that finished is least loaded");
  }

  @Test
  void shouldHerdOnOneEngineWhenLeastRequestSeesOnlyStaleTelemetry() {
    // The failure PRISM's own accounting avoids: polled counts do not move within a burst.
    engines.get(0).running = 0;
    engines.get(1).running = 2;
    engines.get(2).running = 2;
    Router r = RouterRegistry.create("least-request");
    for (int i = 0; i < 4; i++) {
      assertEquals(0, r.route(TestEngine.request(i, 0, 100), engines));
    }
  }

  @Test
  void shouldStickToTheSessionEngineWhenSessionAffinity() {
    Router r = RouterRegistry.create("session-affinity");
    int first = r.route(new RoutingRequest(0, 0, 100, 1000, 100, "s-42", new long[0]), engines);
    for (int i = 1; i < 5; i++) {
      assertEquals(first, r.route(new RoutingRequest(i, i, 100, 1000, 100, "s-42", new long[0]), engines));
    }
  }

  @Test
  void shouldRepeatChoicesWhenRandomIsSeeded() {
    Router a = RouterRegistry.create("random");
    Router b = RouterRegistry.create("random");
    int differs = 0;
    for (int i = 0; i < 50; i++) {
      int x = a.route(TestEngine.request(i, i, 100), engines);
      assertEquals(x, b.route(TestEngine.request(i, i, 100), engines));
      differs += x != 0 ? 1 : 0;
    }
    assertNotEquals(0, differs);
  }
}
