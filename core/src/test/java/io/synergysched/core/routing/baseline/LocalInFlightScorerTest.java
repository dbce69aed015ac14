package io.synergysched.core.routing.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LocalInFlightScorerTest {

  static Stream<Arguments> cases() {
    // Events: rN routed to engine N, s shed, fN finished on N, xN rejected by N, tN first token on N.
    return Stream.of(
        arguments("nothing routed: all tie at 1", "", new double[] {1, 1, 1}),
        arguments("own in-flight counts 2, 1, 0", "r0 r0 r1", new double[] {0, 0.5, 1}),
        arguments("a finished response frees its engine", "r0 r0 r1 f0", new double[] {0, 0, 1}),
        arguments("a rejection frees it too", "r0 r1 x1", new double[] {0, 1, 1}),
        arguments("a first token does not", "r0 t0", new double[] {0, 1, 1}),
        arguments("a shed decision counts nowhere", "s s", new double[] {1, 1, 1}),
        arguments("a stray completion does not go below 0", "f2 r0", new double[] {0, 1, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreFewerOwnInFlightRequestsHigherWhenTheRouterSentAndHeardBack(String name, String events,
      double[] expected) {
    List<TestEngine> engines = PluginHarness.engines(3);
    LocalInFlightScorer scorer = new LocalInFlightScorer();
    long id = 0;
    for (String e : events.split(" ")) {
      if (e.isEmpty()) {
        continue;
      }
      int engine = e.equals("s") ? Router.SHED : Integer.parseInt(e.substring(1));
      switch (e.charAt(0)) {
        case 'r', 's' -> scorer.onRouted(TestEngine.request(id++, 0, 100), engine);
        case 'f' -> scorer.onResponse(engine, event(RequestPhase.FINISHED));
        case 'x' -> scorer.onResponse(engine, event(RequestPhase.REJECTED));
        case 't' -> scorer.onResponse(engine, event(RequestPhase.FIRST_TOKEN));
        default -> throw new IllegalArgumentException(e);
      }
    }

    double[] scores = PluginHarness.score(scorer, TestEngine.request(id, 1, 100), engines);

    assertThat(scorer.observesEngines()).isTrue();
    assertThat(scores).containsExactly(expected, within(1e-12));
  }

  private static RequestObservation event(RequestPhase phase) {
    return new RequestObservation("e", 0, phase, 1, 100, 1, 0);
  }
}
