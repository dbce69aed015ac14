package io.synergysched.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.model.audit.AccuracyAccumulator;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StepLatencyModelTest {

  private static final StepLatencyModelConfig CONFIG = StepLatencyModelConfig.defaults();
  private static final double NOISE = 0.03;

  static StepObservation step(
      long durationUs, int prefill, int chunks, long squares, long cached, long product, int decodes, long context) {
    return new StepObservation(
        "e", 0, 0, durationUs, prefill, chunks, squares, cached, product, decodes, context, 100, 1000, 0, decodes, 0,
        512);
  }

  /** Random step compositions with the model's own features and a linear truth, in microseconds. */
  private static List<StepObservation> linearTruthSteps(double[] truthUsPerUnit, int count, long seed, double noise) {
    Random random = new Random(seed);
    List<StepObservation> steps = new ArrayList<>();
    double[] x = new double[StepFeatures.DIMENSION];
    for (int n = 0; n < count; n++) {
      int decodes = random.nextInt(128);
      long context = decodes == 0 ? 0 : (long) decodes * (64 + random.nextInt(4000));
      int chunks = random.nextDouble() < 0.6 ? 1 + random.nextInt(3) : 0;
      int prefill = 0;
      long squares = 0;
      long cached = 0;
      long product = 0;
      for (int c = 0; c < chunks; c++) {
        int chunk = 1 + random.nextInt(1024);
        int behind = random.nextDouble() < 0.5 ? random.nextInt(4096) : 0;
        prefill += chunk;
        squares += (long) chunk * chunk;
        cached += behind;
        product += (long) chunk * behind;
      }
      if (prefill + decodes == 0) {
        decodes = 1;
        context = 100;
      }
      StepFeatures.fill(x, prefill, chunks, squares, cached, product, decodes, context, CONFIG.kneeTokens());
      double us = 0;
      for (int i = 0; i < x.length; i++) {
        us += truthUsPerUnit[i] * x[i] * StepFeatures.scale(i);
      }
      us *= Math.exp(noise * random.nextGaussian());
      steps.add(step(Math.round(us), prefill, chunks, squares, cached, product, decodes, context));
    }
    return steps;
  }

  private static final double[] LINEAR_TRUTH_US_PER_UNIT = {
    8000, 3.0, 12.0, 0.0045, 0.0015, 0.4, 0.011, 25
  };

  @Test
  void shouldRecoverTheTruthWhenStepsComeFromAModelOfTheSameShape() {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG.withCorrectionEnabled(false).withoutForgetting());
    for (StepObservation s : linearTruthSteps(LINEAR_TRUTH_US_PER_UNIT, 4000, 1, 0.0)) {
      model.learn(s);
    }
    double[] recovered = model.snapshot().coefficientsMicrosPerUnit();
    for (int i = 0; i < recovered.length; i++) {
      assertThat(recovered[i])
          .as(StepFeatures.name(i))
          .isCloseTo(LINEAR_TRUTH_US_PER_UNIT[i], within(1e-3 * LINEAR_TRUTH_US_PER_UNIT[i] + 1e-6));
    }
  }

  @Test
  void shouldRecoverTheTruthWithinNoiseWhenStepsAreNoisyAndForgettingIsOn() {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG.withCorrectionEnabled(false));
    for (StepObservation s : linearTruthSteps(LINEAR_TRUTH_US_PER_UNIT, 6000, 2, NOISE)) {
      model.learn(s);
    }
    double[] recovered = model.snapshot().coefficientsMicrosPerUnit();
    // the big terms are pinned down to a few percent; the small attention terms to their order
    assertThat(recovered[StepFeatures.CONSTANT]).isCloseTo(8000, within(8000 * 0.05));
    assertThat(recovered[StepFeatures.TOKENS] + recovered[StepFeatures.TOKENS_ABOVE_KNEE]).isCloseTo(15.0, within(15.0 * 0.05));
    assertThat(recovered[StepFeatures.DECODE_CONTEXT]).isCloseTo(0.011, within(0.011 * 0.1));
    assertThat(recovered[StepFeatures.PREFILL_CHUNK_SQUARES]).isCloseTo(0.0045, within(0.0045 * 0.3));
  }

  @ParameterizedTest
  @EnumSource(SyntheticEngine.Load.class)
  void shouldReachTheAccuracyTargetsPrequentiallyWhenLoadIs(SyntheticEngine.Load load) {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG);
    AccuracyAccumulator steady = new AccuracyAccumulator();
    int n = 0;
    for (StepObservation s : new SyntheticEngine("e", 42, load, NOISE).run(6000)) {
      double predicted = model.predictUs(s);
      if (n++ >= 100) {
        steady.add(s.durationUs(), predicted);
      }
      model.learn(s);
    }
    System.out.printf("synergy %s steady: R2 %.4f MAPE %.4f MAE %.3f ms%n", load, steady.r2(), steady.mape(), steady.maeMs());
    assertThat(steady.r2()).isGreaterThanOrEqualTo(0.98);
    assertThat(steady.mape()).isLessThanOrEqualTo(0.05);
  }

  @Test
  void shouldBarelyMovePredictionsWhenOneStepIsTenTimesTooSlow() {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG);
    List<StepObservation> steps = new SyntheticEngine("e", 7, SyntheticEngine.Load.MEDIUM, NOISE).run(3000);
    for (StepObservation s : steps) {
      model.learn(s);
    }
    StepObservation heavy = step(0, 512, 1, 512 * 512, 0, 0, 32, 32 * 1024);
    StepObservation light = step(0, 0, 0, 0, 0, 0, 8, 8 * 600);
    double heavyBefore = model.predictUs(withDuration(heavy, 1));
    double lightBefore = model.predictUs(withDuration(light, 1));

    long tenTimes = Math.round(10 * heavyBefore);
    model.learn(withDuration(heavy, tenTimes));

    assertThat(model.predictUs(withDuration(heavy, 1))).isCloseTo(heavyBefore, within(0.01 * heavyBefore));
    assertThat(model.predictUs(withDuration(light, 1))).isCloseTo(lightBefore, within(0.01 * lightBefore));
  }

  @Test
  void shouldKeepWorkCoefficientsNonNegativeWhenTheDataPullsThemBelowZero() {
    // latency falls with decode context here: unphysical, so the coefficient must stop at zero
    double[] truth = {8000, 3.0, 12.0, 0.0045, 0.0015, 0.4, -0.004, 25};
    StepLatencyModel model = StepLatencyModel.cold(CONFIG.withCorrectionEnabled(false));
    for (StepObservation s : linearTruthSteps(truth, 3000, 3, 0.01)) {
      if (s.durationUs() > 0) {
        model.learn(s);
      }
    }
    for (int i = 1; i < StepFeatures.DIMENSION; i++) {
      assertThat(model.coefficient(i)).as(StepFeatures.name(i)).isGreaterThanOrEqualTo(0.0);
    }
    assertThat(model.coefficient(StepFeatures.DECODE_CONTEXT)).isEqualTo(0.0);
  }

  @Test
  void shouldPredictTheFirstHundredStepsAccuratelyWhenStartedFromAClassPrior() {
    List<StepObservation> offline = new ArrayList<>(new SyntheticEngine("a", 101, SyntheticEngine.Load.MEDIUM, NOISE).run(3000));
    offline.addAll(new SyntheticEngine("b", 102, SyntheticEngine.Load.HIGH, NOISE).run(3000));
    StepLatencyPrior prior = StepLatencyPriorFitter.fit("a100/llama-2-7b/tp1", offline, CONFIG, 50);

    for (SyntheticEngine.Load load : SyntheticEngine.Load.values()) {
      List<StepObservation> fresh = new SyntheticEngine("new", 900 + load.ordinal(), load, NOISE).run(100);
      AccuracyAccumulator withPrior = warmup(StepLatencyModel.fromPrior(prior, CONFIG), fresh);
      AccuracyAccumulator cold = warmup(StepLatencyModel.cold(CONFIG), fresh);
      System.out.printf(
          "first 100 steps at %s: prior MAPE %.4f R2 %.4f, cold MAPE %.4f R2 %.4f (knee %.0f)%n",
          load, withPrior.mape(), withPrior.r2(), cold.mape(), cold.r2(), prior.state().kneeTokens());
      assertThat(withPrior.mape()).isLessThanOrEqualTo(0.05);
      assertThat(withPrior.mape()).isLessThan(cold.mape());
    }
  }

  private static AccuracyAccumulator warmup(StepLatencyModel model, List<StepObservation> steps) {
    AccuracyAccumulator accuracy = new AccuracyAccumulator();
    for (StepObservation s : steps) {
      accuracy.add(s.durationUs(), model.predictUs(s));
      model.learn(s);
    }
    return accuracy;
  }

  @Test
  void shouldKeepPrefillCoefficientsWhenNoPrefillArrivesForALongTime() {
    StepLatencyModel stabilized = StepLatencyModel.cold(CONFIG);
    StepLatencyModelConfig plain =
        new StepLatencyModelConfig(0.998, 128, 2.5, true, 0.0, 0.1, 0.02, 24, true, 2.0, 0.05);
    StepLatencyModel unstabilized = StepLatencyModel.cold(plain);
    for (StepObservation s : new SyntheticEngine("e", 11, SyntheticEngine.Load.MEDIUM, NOISE).run(4000)) {
      stabilized.learn(s);
      unstabilized.learn(s);
    }
    StepObservation prefill = step(1, 1024, 1, 1024L * 1024, 2048, 2048L * 1024, 16, 16 * 800);
    double stabilizedBefore = stabilized.predictUs(prefill);
    double unstabilizedBefore = unstabilized.predictUs(prefill);
    double squaresBefore = stabilized.coefficient(StepFeatures.PREFILL_CHUNK_SQUARES);
    double contextBefore = stabilized.coefficient(StepFeatures.PREFILL_CHUNK_CONTEXT);

    Random random = new Random(12);
    for (int n = 0; n < 20_000; n++) {
      int decodes = 8 + random.nextInt(24);
      long context = decodes * (200L + random.nextInt(1500));
      int[] none = new int[0];
      int[] contexts = new int[decodes];
      java.util.Arrays.fill(contexts, (int) (context / decodes));
      double ms = VidurShapedStepTime.stepMs(none, none, 0, contexts, decodes) * Math.exp(NOISE * random.nextGaussian());
      StepObservation decodeOnly = step(Math.round(ms * 1000), 0, 0, 0, 0, 0, decodes, context);
      stabilized.learn(decodeOnly);
      unstabilized.learn(decodeOnly);
    }

    assertThat(stabilized.coefficient(StepFeatures.PREFILL_CHUNK_SQUARES)).isCloseTo(squaresBefore, within(0.01 * squaresBefore + 1e-12));
    assertThat(stabilized.coefficient(StepFeatures.PREFILL_CHUNK_CONTEXT)).isCloseTo(contextBefore, within(0.01 * contextBefore + 1e-12));
    assertThat(stabilized.predictUs(prefill)).isCloseTo(stabilizedBefore, within(0.03 * stabilizedBefore));
    // without the floor, forgetting erases what decode-only traffic never re-teaches
    assertThat(unstabilized.predictUs(prefill)).isLessThan(0.8 * unstabilizedBefore);
    System.out.printf(
        "prefill probe after 20k decode-only steps: stabilized %.1f -> %.1f us, plain forgetting %.1f -> %.1f us%n",
        stabilizedBefore, stabilized.predictUs(prefill), unstabilizedBefore, unstabilized.predictUs(prefill));
  }

  @Test
  void shouldContinueIdenticallyWhenRestoredFromASnapshot() {
    List<StepObservation> steps = new SyntheticEngine("e", 5, SyntheticEngine.Load.HIGH, NOISE).run(2000);
    StepLatencyModel original = StepLatencyModel.cold(CONFIG);
    for (StepObservation s : steps.subList(0, 1000)) {
      original.learn(s);
    }
    StepLatencyModel restored = StepLatencyModel.fromState(original.snapshot(), CONFIG);
    for (StepObservation s : steps.subList(1000, 2000)) {
      original.learn(s);
      restored.learn(s);
    }
    assertThat(restored.snapshot()).isEqualTo(original.snapshot());
  }

  @Test
  void shouldRejectAndCountStepsWhenTelemetryIsImplausible() {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG);
    assertThat(model.learn(step(-5, 10, 1, 100, 0, 0, 0, 0))).isFalse();
    assertThat(model.learn(step(1000, 10, 1, 101, 0, 0, 0, 0))).as("squares above n^2").isFalse();
    assertThat(model.learn(step(1000, 10, 0, 100, 0, 0, 0, 0))).as("tokens without chunks").isFalse();
    assertThat(model.learn(step(1000, 0, 0, 0, 0, 0, 0, 0))).as("empty step").isFalse();
    assertThat(model.learn(step(1000, 10, 1, 100, 0, 0, 3, 300))).isTrue();
    assertThat(model.rejectedCount()).isEqualTo(4);
    assertThat(model.sampleCount()).isEqualTo(1);
  }

  @Test
  void shouldCoverAboutTheConfidenceWhenPredictingWithAnInterval() {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG);
    List<StepObservation> steps = new SyntheticEngine("e", 21, SyntheticEngine.Load.MEDIUM, NOISE).run(5000);
    int inside = 0;
    int scored = 0;
    for (int n = 0; n < steps.size(); n++) {
      StepObservation s = steps.get(n);
      if (n >= 500) {
        LatencyPrediction p = model.predictWithInterval(s, 0.9);
        assertThat(p.lowerUs()).isLessThan(p.meanUs());
        assertThat(p.upperUs()).isGreaterThan(p.meanUs());
        scored++;
        if (s.durationUs() >= p.lowerUs() && s.durationUs() <= p.upperUs()) {
          inside++;
        }
      }
      model.learn(s);
    }
    double coverage = (double) inside / scored;
    System.out.printf("90%% interval coverage: %.3f%n", coverage);
    assertThat(coverage).isBetween(0.82, 0.97);
  }

  @Test
  void shouldPublishOnlyWhenPredictionsMoveMaterially() {
    StepLatencyModel model = StepLatencyModel.cold(CONFIG);
    List<StepObservation> steps = new SyntheticEngine("e", 31, SyntheticEngine.Load.MEDIUM, NOISE).run(4000);
    MaterialChangePolicy policy = MaterialChangePolicy.defaults(CONFIG);
    StepLatencyModelState published = null;
    int publications = 0;
    for (StepObservation s : steps) {
      model.learn(s);
      StepLatencyModelState current = model.snapshot();
      if (policy.changedMaterially(published, current)) {
        published = current;
        publications++;
      }
    }
    assertThat(publications).isBetween(2, 400);
    StepLatencyModelState settled = model.snapshot();
    assertThat(policy.changedMaterially(settled, settled)).isFalse();
  }

  @Test
  void shouldFailFastNamingTheKeyWhenConfigIsInvalid() {
    assertThatThrownBy(() -> StepLatencyModelConfig.fromProperties(Map.of("synergy.model.forgetting-factor", "0.5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("synergy.model.forgetting-factor");
    assertThatThrownBy(() -> StepLatencyModelConfig.fromProperties(Map.of("synergy.model.warm-samples", "lots")))
        .hasMessageContaining("synergy.model.warm-samples");
    assertThat(StepLatencyModelConfig.fromProperties(Map.of())).isEqualTo(CONFIG);
  }

  static StepObservation withDuration(StepObservation s, long durationUs) {
    return new StepObservation(
        s.engineId(), s.stepIndex(), s.startTimeMs(), durationUs, s.prefillTokens(), s.prefillChunks(),
        s.prefillChunkSqSum(), s.prefillCachedContext(), s.prefillChunkContextProduct(), s.decodeSeqs(),
        s.decodeContextSum(), s.kvBlocksUsed(), s.kvBlocksTotal(), s.waiting(), s.running(), s.preemptions(),
        s.tokenBudget());
  }
}
