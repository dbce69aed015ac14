package io.synergysched.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTransformsTest {

  private static final List<TraceRequest> TRACE = List.of(
      TraceRequest.of(0, 100, 10), TraceRequest.of(1000, 200, 20), TraceRequest.of(2500, 300, 30));

  @Test
  void shouldKeepOnlyArrivalsInsideTheWindowWhenSlicing() {
    List<TraceRequest> window = TraceTransforms.window(TRACE, 0.5, 2.5);

    assertThat(window).extracting(TraceRequest::arrivalMs).containsExactly(500.0, 2000.0);
  }

  @Test
  void shouldDivideArrivalTimesWhenRateIsScaledUp() {
    assertThat(TraceTransforms.scaleRate(TRACE, 2.0))
        .extracting(TraceRequest::arrivalMs).containsExactly(0.0, 500.0, 1250.0);
  }

  @Test
  void shouldCutPromptsAndCountThemWhenLongerThanTheContext() {
    TraceRequest longOne = new TraceRequest(0, 5000, 100, Double.NaN, Double.NaN, null,
        new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});

    TraceTransforms.Clipped clipped =
        TraceTransforms.clipToContext(List.of(longOne, TraceRequest.of(1, 10, 10)), 4096);

    assertThat(clipped.clippedCount()).isEqualTo(1);
    TraceRequest cut = clipped.requests().get(0);
    assertThat(cut.promptTokens()).isEqualTo(3996);
    assertThat(cut.outputTokens()).isEqualTo(100);
    assertThat(cut.prefixHashes()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }
}
