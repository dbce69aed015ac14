package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import org.junit.jupiter.api.Test;

class RoutedInFlightCountsTest {

  private static RequestObservation event(RequestPhase phase) {
    return new RequestObservation("e", 1, phase, 0, 10, 1, 0);
  }

  @Test
  void shouldCountRoutedRequestsUntilTheyFinishOrAreRejected() {
    RoutedInFlightCounts counts = new RoutedInFlightCounts();
    counts.routed(20);
    counts.routed(20);
    counts.routed(3);
    counts.responded(20, event(RequestPhase.FIRST_TOKEN));
    assertThat(counts.of(20)).isEqualTo(2);
    counts.responded(20, event(RequestPhase.FINISHED));
    counts.responded(3, event(RequestPhase.REJECTED));
    assertThat(counts.of(20)).isEqualTo(1);
    assertThat(counts.of(3)).isZero();
  }

  @Test
  void shouldNeverGoBelowZeroWhenAResponseComesForAnUnknownRequest() {
    RoutedInFlightCounts counts = new RoutedInFlightCounts();
    counts.responded(40, event(RequestPhase.FINISHED));
    assertThat(counts.of(40)).isZero();
    assertThat(counts.of(1000)).isZero();
  }
}
