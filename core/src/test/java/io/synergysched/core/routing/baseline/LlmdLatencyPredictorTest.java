package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LlmdLatencyPredictorTest {

  /** Output tokens of every training request. */
  private static final int OUTPUT = 11;

  /**
   * Routes {@code count} requests to engine 0, one a second, prompts 100..3900, each answered before
   * the next: TTFT = 20 + 0.05 x prompt ms on a pod without a queue, 100 + 0.2 x prompt behind one
   * (every other request sees 3 waiting when {@code queues}); TPOT = 15 + 0.01 x prompt.
   */
  private static LlmdLatencyPredictor trained(int count, boolean queues, String... parameters) {
    LlmdLatencyPredictor p = new LlmdLatencyPredictor(
        PluginHarness.context(LlmdLatencyPredictor.TYPE, parameters));
    for (int i = 0; i < count; i++) {
      double t = i * 1000.0;
      int waiting = queues && i % 2 == 1 ? 3 : 0;
      p.onStepVisible(0, step(waiting));
      int prompt = 100 + (i * 37) % 3800;
      p.onRouted(request(i, t, prompt, 1000, 50), 0);
      double ttft = waiting > 0 ? 100 + 0.2 * prompt : 20 + 0.05 * prompt;
      double tpot = 15 + 0.01 * prompt;
      p.onResponse(0, event(i, RequestPhase.FIRST_TOKEN, t + ttft, 1));
      p.onResponse(0, event(i, RequestPhase.FINISHED, t + ttft + tpot * (OUTPUT - 1), OUTPUT));
    }
    return p;
  }

  static Stream<Arguments> predictions() {
    // name, training requests, queued pods, parameters, pod's waiting, prompt, query routed first, TTFT ms,
    // TPOT ms, tolerance. llm-d records a sample's in-flight prefill tokens after adding the request's own
    // prompt but predicts before adding it; a query routed first sees what the samples saw.
    return Stream.of(
        arguments("untrained: the sidecar's default model answers 10 ms", 0, false, new String[0], 0, 1000, false,
            10.0, 10.0, 1e-9),
        arguments("fewer samples than a fit needs: still the default", 5, false,
            new String[] {"min-samples", "10", "test-ratio", "0"}, 0, 1000, false, 10.0, 10.0, 1e-9),
        arguments("samples but no retrain interval passed yet: still the default", 50, false,
            new String[] {"retrain-interval-ms", "100000000"}, 0, 1000, false, 10.0, 10.0, 1e-9),
        arguments("trained on observed latencies it predicts them", 200, false, new String[0], 0, 1000, true,
            70.0, 25.0, 1.0),
        arguments("and another prompt", 200, false, new String[0], 0, 3000, true, 170.0, 45.0, 1.5),
        // In these samples in-flight tokens, input and effective input are all the prompt: ridge splits the
        // slope three ways, and the in-flight third is missing before the dispatch.
        arguments("before its dispatch a prompt's own in-flight tokens are missing, as in llm-d", 200, false,
            new String[0], 0, 1000, false, 20 + 0.05 * 1000 * 2 / 3, 15 + 0.01 * 1000 / 2, 1.0),
        arguments("once each split has its samples, a queued pod gets the queued model", 900, true,
            new String[] {"min-samples-for-ensemble-split", "200"}, 3, 1000, true, 300.0, 25.0, 2.0),
        arguments("and a pod without a queue the other one", 900, true,
            new String[] {"min-samples-for-ensemble-split", "200"}, 0, 1000, true, 70.0, 25.0, 2.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("predictions")
  void shouldPredictWhatItObservedWhenTrainedOnTheRoutersResponses(String name, int count, boolean queues,
      String[] parameters, int waiting, int prompt, boolean routedFirst, double ttftMs, double tpotMs,
      double tolerance) {
    LlmdLatencyPredictor p = trained(count, queues, parameters);
    p.onStepVisible(0, step(waiting));
    RoutingRequest request = request(10_000, count * 1000.0, prompt, 1000, 50);
    if (routedFirst) {
      p.onRouted(request, 0);
    }

    assertThat(p.predictedTtftMs(request, 0)).isCloseTo(ttftMs, within(tolerance));
    assertThat(p.predictedTpotMs(request, 0)).isCloseTo(tpotMs, within(tolerance));
  }

  static Stream<Arguments> bookkeeping() {
    // Untrained (10 ms for both). Events: rP:T routes a request of TPOT target T to engine P (ids in
    // order), s a shed, fI finishes request I, xI the engine rejects it.
    // name, events, query TTFT target, TPOT target, dispatched to engine 0, TTFT headroom, TPOT headroom
    return Stream.of(
        arguments("idle pod: headroom is target - 10 ms", "", 200.0, 50.0, 0, 190.0, 40.0),
        arguments("a request without targets has targets 0", "", Double.NaN, Double.NaN, 0, -10.0, -10.0),
        arguments("the tightest TPOT target running on the pod binds", "r0:30 r0:80 r1:5", 200.0, 50.0, 2,
            190.0, 20.0),
        arguments("a finished request no longer binds", "r0:30 r0:80 f0", 200.0, 50.0, 1, 190.0, 40.0),
        arguments("nor one the engine rejected", "r0:30 x0", 200.0, 50.0, 0, 190.0, 40.0),
        arguments("a shed request is dispatched nowhere", "s s", 200.0, 50.0, 0, 190.0, 40.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bookkeeping")
  void shouldKeepTheRoutersDispatchedRequestsAndHeadroomWhenRequestsComeAndGo(String name, String events,
      double sloTtft, double sloTpot, int dispatched, double ttftHeadroom, double tpotHeadroom) {
    LlmdLatencyPredictor p = new LlmdLatencyPredictor(PluginHarness.context(LlmdLatencyPredictor.TYPE));
    long id = 0;
    for (String e : events.split(" ")) {
      if (e.isEmpty()) {
        continue;
      }
      switch (e.charAt(0)) {
        case 'r' -> {
          String[] f = e.substring(1).split(":");
          p.onRouted(request(id++, 1, 100, 1000, Double.parseDouble(f[1])), Integer.parseInt(f[0]));
        }
        case 's' -> p.onRouted(request(id++, 1, 100, 1000, 50), Router.SHED);
        case 'f' -> p.onResponse(0, event(Long.parseLong(e.substring(1)), RequestPhase.FINISHED, 2, 5));
        case 'x' -> p.onResponse(0, event(Long.parseLong(e.substring(1)), RequestPhase.REJECTED, 2, 0));
        default -> throw new IllegalArgumentException(e);
      }
    }
    RoutingRequest query = request(99, 3, 100, sloTtft, sloTpot);

    assertThat(p.dispatchedRequests(0)).isEqualTo(dispatched);
    assertThat(p.ttftHeadroomMs(query, 0)).isCloseTo(ttftHeadroom, within(1e-9));
    assertThat(p.tpotHeadroomMs(query, 0)).isCloseTo(tpotHeadroom, within(1e-9));
  }

  private static RoutingRequest request(long id, double t, int prompt, double sloTtft, double sloTpot) {
    return new RoutingRequest(id, t, prompt, sloTtft, sloTpot, null, new long[0]);
  }

  private static RequestObservation event(long id, RequestPhase type, double t, int generated) {
    return new RequestObservation("e0", id, type, t, 100, generated, 0);
  }

  private static StepObservation step(int waiting) {
    return new StepObservation("e0", 0, 0, 10_000, 0, 0, 0, 0, 0, 0, 0, 0, 7000, waiting, 0, 0, 8192);
  }
}
