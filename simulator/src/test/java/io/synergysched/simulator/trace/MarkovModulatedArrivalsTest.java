package io.synergysched.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkovModulatedArrivalsTest {

  private static final MarkovModulatedArrivals MATRIX_BURSTS = new MarkovModulatedArrivals(10, 2.5, 4, 42);
  private static final int N = 400_000;
  private static final double RATE = 10;
  private static final double WINDOW_S = 50;

  @Test
  void shouldKeepTheMeanRateWhenBursty() {
    double[] t = MATRIX_BURSTS.arrivalsMs(N, RATE);

    double rate = (N - 1) / ((t[N - 1] - t[0]) / 1000);

    // relative standard error sqrt(IDC / (rate x duration)) is about 0.75% here
    assertThat(rate).isCloseTo(RATE, within(0.03 * RATE));
  }

  @Test
  void shouldBeAsOverdispersedAsTheTheoryPredictsWhenCountedInWindows() {
    double[] t = MATRIX_BURSTS.arrivalsMs(N, RATE);

    double measured = indexOfDispersion(t, WINDOW_S);

    // Index of dispersion of counts of a two-state MMPP (Heffes and Lucantoni), about 22.6 here
    double calm = RATE * MATRIX_BURSTS.calmRateFactor();
    double burst = calm * 4;
    double share = MATRIX_BURSTS.burstShare();
    double gamma = 1 / 10.0 + 1 / 2.5;
    double expected = 1 + 2 * share * (1 - share) * Math.pow(burst - calm, 2) / (RATE * gamma)
        * (1 - (1 - Math.exp(-gamma * WINDOW_S)) / (gamma * WINDOW_S));
    assertThat(measured).isCloseTo(expected, within(0.2 * expected));
    assertThat(burst / RATE).as("peak over mean rate").isCloseTo(2.5, within(1e-9));
  }

  @Test
  void shouldBePoissonWhenTheBurstRateEqualsTheCalmRate() {
    double[] t = new MarkovModulatedArrivals(10, 2.5, 1, 42).arrivalsMs(N, RATE);

    assertThat(indexOfDispersion(t, WINDOW_S)).isCloseTo(1.0, within(0.2));
  }

  @Test
  void shouldRepeatArrivalsWhenTheSeedIsTheSameAndChangeThemWhenItChanges() {
    double[] first = MATRIX_BURSTS.arrivalsMs(1000, RATE);

    assertThat(new MarkovModulatedArrivals(10, 2.5, 4, 42).arrivalsMs(1000, RATE)).isEqualTo(first);
    assertThat(new MarkovModulatedArrivals(10, 2.5, 4, 43).arrivalsMs(1000, RATE)).isNotEqualTo(first);
  }

  @Test
  void shouldMoveEveryArrivalEarlierAndKeepTheBurstsWhenTheRateRises() {
    double[] slow = MATRIX_BURSTS.arrivalsMs(5000, RATE);
    double[] fast = MATRIX_BURSTS.arrivalsMs(5000, 2 * RATE);

    for (int i = 0; i < slow.length; i++) {
      assertThat(fast[i]).as("arrival %d", i).isLessThan(slow[i]);
    }
    for (int i = 1; i < slow.length; i++) {
      assertThat(slow[i]).isGreaterThanOrEqualTo(slow[i - 1]);
    }
  }

  @Test
  void shouldChangeOnlyTheTimesWhenRetimingATrace() {
    List<TraceRequest> trace = List.of(
        new TraceRequest(0, 100, 10, 500, Double.NaN, "s1", new long[] {7}),
        TraceRequest.of(3000, 200, 20),
        TraceRequest.of(3000, 300, 30));

    List<TraceRequest> retimed = MATRIX_BURSTS.retime(trace, RATE);

    assertThat(retimed).extracting(TraceRequest::promptTokens).containsExactly(100, 200, 300);
    assertThat(retimed.get(0).sloTtftMs()).isEqualTo(500);
    assertThat(retimed.get(0).sessionId()).isEqualTo("s1");
    assertThat(retimed).extracting(TraceRequest::arrivalMs).isSorted()
        .containsExactly(MATRIX_BURSTS.arrivalsMs(3, RATE)[0], MATRIX_BURSTS.arrivalsMs(3, RATE)[1],
            MATRIX_BURSTS.arrivalsMs(3, RATE)[2]);
  }

  @Test
  void shouldNameTheKeyWhenAParameterIsOutOfRange() {
    assertThatThrownBy(() -> new MarkovModulatedArrivals(0, 2.5, 4, 1)).hasMessageContaining("trace.mmpp.calm_s");
    assertThatThrownBy(() -> new MarkovModulatedArrivals(10, -1, 4, 1)).hasMessageContaining("trace.mmpp.burst_s");
    assertThatThrownBy(() -> new MarkovModulatedArrivals(10, 2.5, 0.5, 1))
        .hasMessageContaining("trace.mmpp.burst_ratio must be >= 1");
  }

  /** Variance over mean of the counts in consecutive windows of {@code windowS} seconds. */
  private static double indexOfDispersion(double[] arrivalsMs, double windowS) {
    int windows = (int) (arrivalsMs[arrivalsMs.length - 1] / 1000 / windowS);
    long[] counts = new long[windows];
    for (double t : arrivalsMs) {
      int w = (int) (t / 1000 / windowS);
      if (w < windows) {
        counts[w]++;
      }
    }
    double mean = 0;
    for (long c : counts) {
      mean += c;
    }
    mean /= windows;
    double variance = 0;
    for (long c : counts) {
      variance += (c - mean) * (c - mean);
    }
    variance /= windows - 1;
    return variance / mean;
  }
}
