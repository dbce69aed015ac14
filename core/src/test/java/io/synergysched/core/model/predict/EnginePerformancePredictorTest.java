package io.synergysched.core.model.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.model.LatencyPrediction;
import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.TrainedModels;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnginePerformancePredictorTest {

  private static final StepLatencyModelConfig CONFIG = StepLatencyModelConfig.defaults();
  private static EnginePerformancePredictor predictor;

  @BeforeAll
  static void trainOnce() {
    StepLatencyModel model = TrainedModels.mediumLoadModel();
    predictor = EnginePerformancePredictor.of(model.snapshot(), CONFIG);
  }

  private static double chunkStep(long p, int decodes, double context, long cached) {
    return p == 0
        ? predictor.predictStepUs(0, 0, 0, 0, 0, decodes, context)
        : predictor.predictStepUs(p, 1, (double) p * p, cached, (double) p * cached, decodes, context);
  }

  @Test
  void shouldMatchPredictWhenCapacityIsInverted() {
    int[] decodeCounts = {0, 8, 32, 96};
    long[] cachedBehind = {0, 2048};
    double[] targetsMs = {20, 35, 60, 120, 250};
    for (int decodes : decodeCounts) {
      double context = decodes * 900.0;
      for (long cached : cachedBehind) {
        for (double targetMs : targetsMs) {
          double target = targetMs * 1000;
          int capacity = predictor.prefillCapacity(target, decodes, context, cached, 16_384);
          for (long p = 1; p <= capacity; p += Math.max(1, capacity / 97)) {
            assertThat(chunkStep(p, decodes, context, cached)).as("p=%d within capacity", p).isLessThanOrEqualTo(target);
          }
          assertThat(chunkStep(capacity, decodes, context, cached)).isLessThanOrEqualTo(target + 1e-9);
          if (capacity < 16_384 && (capacity > 0 || chunkStep(0, decodes, context, cached) <= target)) {
            assertThat(chunkStep(capacity + 1, decodes, context, cached))
                .as("one more token breaks %s ms with %d decodes", targetMs, decodes)
                .isGreaterThan(target);
          }
        }
      }
    }
  }

  @Test
  void shouldGiveZeroCapacityWhenDecodesAloneBreakTheTarget() {
    double decodesAlone = chunkStep(0, 64, 64 * 2000.0, 0);
    assertThat(predictor.prefillCapacity(decodesAlone * 0.9, 64, 64 * 2000.0, 0, 8192)).isZero();
  }

  @Test
  void shouldShrinkCapacityWhenDecodesOrTheirContextGrow() {
    int light = predictor.prefillCapacity(60_000, 8, 8 * 500.0, 0, 16_384);
    int moreDecodes = predictor.prefillCapacity(60_000, 64, 64 * 500.0, 0, 16_384);
    int longerContext = predictor.prefillCapacity(60_000, 64, 64 * 3000.0, 0, 16_384);
    assertThat(light).isGreaterThan(moreDecodes);
    assertThat(moreDecodes).isGreaterThanOrEqualTo(longerContext);
  }

  @Test
  void shouldSumStepPredictionsWhenDrainingAQueueUnderABudget() {
    // 1,500 tokens behind a 512 budget with 12 decodes: chunks 500, 500, 500 (two requests split)
    EngineLoad load = new EngineLoad(
        List.of(new PendingPrefill(700, 0), new PendingPrefill(800, 100)), 12, 12 * 1000, 512, 0, 0);
    double expected =
        predictor.predictStepUs(500, 1, 500 * 500, 0, 0, 12, 12 * 1000)
            + predictor.predictStepUs(500, 2, 200 * 200 + 300 * 300, 500 + 100, 200 * 500 + 300 * 100, 12, 12 * 1000 + 12)
            + predictor.predictStepUs(499, 1, 499 * 499, 400, 499 * 400, 13, 12 * 1000 + 24 + 701);
    // the first request finished in step 2 and decodes from step 3; 1,500 - 1,000 = 500 tokens remain,
    // but the 13 decodes leave 499 of the budget, so one token spills into a fourth step
    double fourth = predictor.predictStepUs(1, 1, 1, 899, 899, 13, 12 * 1000 + 24 + 701 + 13);
    assertThat(predictor.drainUs(load)).isCloseTo(expected + fourth, within(1e-6));
  }

  @Test
  void shouldPredictLongerTtftWhenTheQueueAheadIsLonger() {
    EngineLoad empty = new EngineLoad(List.of(), 16, 16 * 800, 512, 0, 0);
    EngineLoad busy = new EngineLoad(
        List.of(new PendingPrefill(2000, 0), new PendingPrefill(3000, 0)), 16, 16 * 800, 512, 0, 0);
    AdmissionForecast alone = predictor.admit(empty, 1000, 0, 200);
    AdmissionForecast behind = predictor.admit(busy, 1000, 0, 200);
    assertThat(alone.queueDrainUs()).isZero();
    assertThat(alone.stepsToFirstToken()).isEqualTo(3);
    assertThat(behind.ttftUs()).isGreaterThan(alone.ttftUs() + behind.queueDrainUs() * 0.9);
    assertThat(behind.ttftUs()).isGreaterThan(behind.queueDrainUs());
    assertThat(alone.tpotUs()).isLessThan(alone.tpotFullBudgetUs());
    // a prefix hit shortens the prefill
    assertThat(predictor.admit(empty, 1000, 768, 200).ttftUs()).isLessThan(alone.ttftUs());
  }

  @Test
  void shouldPredictTpotAsTheDecodeStepAfterAdmission() {
    EngineLoad load = new EngineLoad(List.of(), 20, 20 * 1000, 512, 0, 0);
    AdmissionForecast forecast = predictor.admit(load, 300, 0, 101);
    // after its prefill step the decodes are 21 with context 20,000 + 20 + 301; mean over 100 more steps
    double context = 20 * 1000 + 20 + 301 + 21 * 50.0;
    assertThat(forecast.tpotUs()).isCloseTo(predictor.predictStepUs(0, 0, 0, 0, 0, 21, context), within(1e-6));
  }

  @Test
  void shouldReportInfiniteDrainWhenDecodesFillTheBudget() {
    EngineLoad load = new EngineLoad(List.of(new PendingPrefill(100, 0)), 600, 600 * 100, 512, 0, 0);
    assertThat(predictor.drainUs(load)).isInfinite();
    assertThat(predictor.admit(load, 50, 0, 10).ttftUs()).isInfinite();
  }

  @Test
  void shouldWidenTheIntervalWhenTheStepIsFarFromTheData() {
    LatencyPrediction usual = predictor.predictStep(256, 1, 256 * 256, 0, 0, 16, 16 * 800, 0.9);
    LatencyPrediction unusual = predictor.predictStep(16_000, 1, 16_000.0 * 16_000, 30_000, 16_000.0 * 30_000, 16, 16 * 800, 0.9);
    double usualWidth = (usual.upperUs() - usual.lowerUs()) / usual.meanUs();
    double unusualWidth = (unusual.upperUs() - unusual.lowerUs()) / unusual.meanUs();
    assertThat(unusualWidth).isGreaterThan(usualWidth);
    assertThat(usual.lowerUs()).isLessThan(usual.meanUs());
  }
}
