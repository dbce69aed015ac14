package io.synergysched.core.model.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.telemetry.StepObservation;
import org.junit.jupiter.api.Test;

class BaselinePredictorsTest {

  private static StepObservation step(long durationUs, int prefill, int decodes, long context, int waiting, int running) {
    return new StepObservation(
        "e", 0, 0, durationUs, prefill, prefill > 0 ? 1 : 0, (long) prefill * prefill, 0, 0, decodes, context, 300,
        1000, waiting, running, 0, 512);
  }

  @Test
  void shouldRecoverAQuadraticWhenLlumnixSeesVariedPrefills() {
    LlumnixQuadraticPredictor llumnix = new LlumnixQuadraticPredictor();
    for (int x = 16; x <= 4096; x += 16) {
      double ms = 2e-6 * x * x + 0.01 * x + 12;
      llumnix.learn(step(Math.round(ms * 1000), x, 0, 0, 0, 1));
    }
    assertThat(llumnix.predictUs(step(1, 1000, 0, 0, 0, 1))).isCloseTo((2e-6 * 1e6 + 10 + 12) * 1000, within(5.0));
  }

  @Test
  void shouldFallBackToTheMeanWhenLlumnixOnlySeesOnePrefillSize() {
    LlumnixQuadraticPredictor llumnix = new LlumnixQuadraticPredictor();
    for (int n = 0; n < 40; n++) {
      llumnix.learn(step(30_000 + (n % 2) * 2_000, 512, 8, 8000, 0, 9));
    }
    // both designs are singular (x constant), so Llumnix predicts the mean, whatever the step
    assertThat(llumnix.predictUs(step(1, 2048, 0, 0, 0, 1))).isCloseTo(31_000, within(1.0));
  }

  @Test
  void shouldNotLearnDecodeOnlyStepsWhenLlumnixSamplesPrefillSteps() {
    LlumnixQuadraticPredictor llumnix = new LlumnixQuadraticPredictor();
    for (int n = 0; n < 30; n++) {
      llumnix.learn(step(10_000, 0, 32, 32_000, 0, 32));
    }
    assertThat(llumnix.predictUs(step(1, 0, 32, 32_000, 0, 32))).isZero();
  }

  @Test
  void shouldFitALinearTruthWhenLlmdSeesItsOwnFeatures() {
    LlmdLinearPredictor llmd = new LlmdLinearPredictor();
    java.util.Random random = new java.util.Random(3);
    for (int n = 0; n < 2000; n++) {
      int prefill = random.nextInt(1024);
      int decodes = 1 + random.nextInt(64);
      long context = decodes * (100L + random.nextInt(2000));
      int waiting = random.nextInt(10);
      double ms = 9 + 0.03 * prefill + 2e-5 * context + 0.5 * waiting;
      llmd.learn(step(Math.round(ms * 1000), prefill, decodes, context, waiting, decodes));
    }
    double ms = 9 + 0.03 * 700 + 2e-5 * 40_000 + 0.5 * 3;
    assertThat(llmd.predictUs(step(1, 700, 20, 40_000, 3, 20))).isCloseTo(ms * 1000, within(0.01 * ms * 1000));
  }

  @Test
  void shouldScoreWarmupApartAndPoolEnginesWhenEvaluatingPrequentially() {
    PrequentialEvaluator evaluator = new PrequentialEvaluator(
        java.util.Map.of(LlmdLinearPredictor.NAME, engine -> new LlmdLinearPredictor()), 100);
    for (int n = 0; n < 300; n++) {
      for (String engine : new String[] {"a", "b"}) {
        evaluator.accept(new StepObservation(
            engine, n, n, 10_000 + 100L * (n % 7), 64 * (n % 7), n % 7 == 0 ? 0 : 1, (long) (64 * (n % 7)) * (64 * (n % 7)),
            0, 0, 4, 4000, 10, 100, 0, 4, 0, 512));
      }
    }
    assertThat(evaluator.row("a", LlmdLinearPredictor.NAME, AccuracyRow.WARMUP).steps()).isEqualTo(100);
    assertThat(evaluator.row("a", LlmdLinearPredictor.NAME, AccuracyRow.STEADY).steps()).isEqualTo(200);
    assertThat(evaluator.row(AccuracyRow.ALL_ENGINES, LlmdLinearPredictor.NAME, AccuracyRow.ALL).steps()).isEqualTo(600);
    assertThat(evaluator.row("b", LlmdLinearPredictor.NAME, AccuracyRow.STEADY).r2()).isGreaterThan(0.99);
  }

  @Test
  void shouldMergeToTheSameFiguresWhenAccumulatorsArePooled() {
    AccuracyAccumulator whole = new AccuracyAccumulator();
    AccuracyAccumulator first = new AccuracyAccumulator();
    AccuracyAccumulator second = new AccuracyAccumulator();
    java.util.Random random = new java.util.Random(4);
    for (int n = 0; n < 1000; n++) {
      double y = 1000 + random.nextInt(50_000);
      double p = y * (1 + 0.05 * random.nextGaussian());
      whole.add(y, p);
      (n < 300 ? first : second).add(y, p);
    }
    first.merge(second);
    assertThat(first.r2()).isCloseTo(whole.r2(), within(1e-9));
    assertThat(first.mape()).isCloseTo(whole.mape(), within(1e-12));
    assertThat(first.maeMs()).isCloseTo(whole.maeMs(), within(1e-9));
  }
}
