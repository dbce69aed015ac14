package io.synergysched.core.routing.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QueueingCalibrationTest {

  @Test
  void shouldForecastAsPredictedWhenNothingWasLearnt() {
    QueueingCalibration calibration = new QueueingCalibration(0.05);

    assertThat(calibration.ttftMs(100, 200)).isEqualTo(300.0);
    assertThat(calibration.tpotMs(40)).isEqualTo(40.0);
  }

  @Test
  void shouldRememberTheUncalibratedPartsOfTheLatestForecast() {
    QueueingCalibration calibration = new QueueingCalibration(1);
    calibration.learnWait(350, 50);
    calibration.learnTpot(80, 40);

    calibration.ttftMs(100, 200);
    calibration.tpotMs(40);
    calibration.ttftMs(120, 30);

    assertThat(calibration.lastOwnStepMs()).isEqualTo(120.0);
    assertThat(calibration.lastRawWaitMs()).isEqualTo(30.0);
    assertThat(calibration.lastRawTpotMs()).isEqualTo(40.0);
  }

  @Test
  void shouldScaleOnlyTheQueueingWaitWhenFirstTokensCameLate() {
    QueueingCalibration calibration = new QueueingCalibration(1);

    // (350 + 50) / (50 + 50): the wait came 4 times as late as predicted, counting the 50 ms floor.
    calibration.learnWait(350, 50);

    assertThat(calibration.waitFactor()).isCloseTo(4, within(1e-12));
    assertThat(calibration.ttftMs(100, 50)).isCloseTo(300, within(1e-9));
    assertThat(calibration.tpotFactor()).isEqualTo(1.0);
  }

  @Test
  void shouldDampNearIdleWaitsWithTheFloorWhenBothAreSmall() {
    QueueingCalibration calibration = new QueueingCalibration(1);

    calibration.learnWait(10, 1);

    assertThat(calibration.waitFactor()).isCloseTo(60.0 / 51, within(1e-12));
  }

  @Test
  void shouldMoveTheBiasByTheWeightOfEachObservation() {
    QueueingCalibration calibration = new QueueingCalibration(0.5);

    calibration.learnTpot(2, 1);
    assertThat(calibration.tpotFactor()).isCloseTo(Math.sqrt(2), within(1e-12));

    calibration.learnTpot(2, 1);
    assertThat(calibration.tpotFactor()).isCloseTo(Math.pow(2, 0.75), within(1e-12));
    assertThat(calibration.tpotMs(10)).isCloseTo(10 * Math.pow(2, 0.75), within(1e-9));
  }

  @Test
  void shouldClipTheBiasToAFactorOfEightWhenTheForecastIsFarOff() {
    QueueingCalibration calibration = new QueueingCalibration(1);

    calibration.learnWait(1e6, 0);
    calibration.learnTpot(1, 1000);

    assertThat(calibration.waitFactor()).isCloseTo(8, within(1e-12));
    assertThat(calibration.tpotFactor()).isCloseTo(1.0 / 8, within(1e-12));
  }

  @Test
  void shouldKeepEveryForecastWhenTheWeightIsZero() {
    QueueingCalibration calibration = new QueueingCalibration(0);

    calibration.learnWait(1e6, 0);
    calibration.learnTpot(1, 1000);

    assertThat(calibration.ttftMs(100, 200)).isEqualTo(300.0);
    assertThat(calibration.tpotMs(40)).isEqualTo(40.0);
  }
}
