package io.synergysched.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SloTallyTest {

  @Test
  void shouldCountEachTargetSeparatelyWhenRequestsFinish() {
    SloTally tally = new SloTally(10_000);
    tally.recordFinished(500, 40, 1000, 100); // both met
    tally.recordFinished(1500, 40, 1000, 100); // TTFT missed
    tally.recordFinished(500, 150, 1000, 100); // TPOT missed
    tally.recordFinished(800, Double.NaN, 1000, 100); // one token: TPOT met by definition
    tally.recordRejected();

    assertThat(tally.finished()).isEqualTo(4);
    assertThat(tally.ttftMet()).isEqualTo(3);
    assertThat(tally.tpotMet()).isEqualTo(3);
    assertThat(tally.bothMet()).isEqualTo(2);
    assertThat(tally.rejected()).isEqualTo(1);
    assertThat(tally.attainment()).isEqualTo(2.0 / 5);
  }

  @Test
  void shouldEstimatePercentilesWithinABucketWhenManyRequestsFinish() {
    SloTally tally = new SloTally(0);
    for (int i = 1; i <= 1000; i++) {
      tally.recordFinished(i, i / 10.0, Double.NaN, Double.NaN);
    }

    assertThat(tally.ttftQuantileMs(0.5)).isCloseTo(500, within(500 * 0.11));
    assertThat(tally.ttftQuantileMs(0.99)).isCloseTo(990, within(990 * 0.11));
    assertThat(tally.tpotQuantileMs(0.5)).isCloseTo(50, within(50 * 0.11));
    assertThat(tally.bothMet()).isEqualTo(1000);
  }

  @Test
  void shouldReportNaNWhenNothingFinished() {
    SloTally tally = new SloTally(0);

    assertThat(tally.ttftQuantileMs(0.5)).isNaN();
    assertThat(tally.attainment()).isNaN();
  }
}
