package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.TrainedModels;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LensPlannerTest {

  private static EnginePerformancePredictor predictor;

  @BeforeAll
  static void trainModel() {
    StepLatencyModel model = TrainedModels.mediumLoadModel();
    predictor = EnginePerformancePredictor.of(model.snapshot(), StepLatencyModelConfig.defaults());
  }

  private static LensPlan plan(double tpotMs, double context) {
    return new LensPlanner(LensPlannerConfig.defaults())
        .plan("e0", predictor, tpotMs, context, 7000, 16, 1_000, 3);
  }

  @Test
  void shouldKeepEveryBudgetPointUnderTheTpotTargetMinusMarginWhenPlanned() {
    LensPlan hint = plan(100, 1024);
    double capUs = (hint.tpotTargetMs() - hint.tpotMarginMs()) * 1000;
    assertThat(hint.tpotMarginMs()).isEqualTo(100 * LensPlannerConfig.defaults().tpotMarginFraction());
    for (LensPlan.BudgetPoint p : hint.budgetCurve()) {
      int d = p.decodeSeqs();
      if (d > hint.maxNumSeqs()) {
        continue;
      }
      int prefill = p.tokenBudget() - d;
      double stepUs = predictor.predictStepUs(prefill, prefill > 0 ? 1 : 0, (double) prefill * prefill, 0, 0, d,
          d * 1024.0);
      assertThat(stepUs).as("step at %d decodes", d).isLessThanOrEqualTo(capUs);
      if (prefill + d < LensPlannerConfig.defaults().maxTokenBudget()) {
        double over = predictor.predictStepUs(prefill + 1, 1, (prefill + 1.0) * (prefill + 1), 0, 0, d, d * 1024.0);
        assertThat(over).as("one more token at %d decodes", d).isGreaterThan(capUs);
      }
    }
  }

  @Test
  void shouldGiveLessPrefillWhenDecodeLoadGrows() {
    List<LensPlan.BudgetPoint> curve = plan(100, 1024).budgetCurve();
    for (int i = 1; i < curve.size(); i++) {
      int before = curve.get(i - 1).tokenBudget() - curve.get(i - 1).decodeSeqs();
      int after = curve.get(i).tokenBudget() - curve.get(i).decodeSeqs();
      assertThat(after).isLessThanOrEqualTo(before);
    }
  }

  @Test
  void shouldShrinkBudgetWhenTpotTargetIsTighter() {
    assertThat(plan(50, 1024).tokenBudgetAt(32)).isLessThan(plan(100, 1024).tokenBudgetAt(32));
  }

  @Test
  void shouldStampModelVersionAndExpiryWhenPlanned() {
    LensPlan hint = plan(100, 1024);
    assertThat(hint.modelVersion()).isEqualTo(predictor.modelVersion());
    assertThat(hint.hintVersion()).isEqualTo(3);
    assertThat(hint.validUntilMs()).isEqualTo(1_000 + LensPlannerConfig.defaults().hintTtlMs());
    assertThat(hint.kvAdmissionWatermark()).isBetween(0.5, 0.98);
  }

  @Test
  void shouldChooseTheSmallestEfficientChunkWhenPlanning() {
    LensPlanner planner = new LensPlanner(LensPlannerConfig.defaults());
    int chunk = planner.preferredChunk(predictor, 4096);
    double best = Double.POSITIVE_INFINITY;
    for (int p = 64; p <= 4096; p += 64) {
      best = Math.min(best, predictor.predictStepUs(p, 1, (double) p * p, 0, 0, 0, 0) / p);
    }
    double atChunk = predictor.predictStepUs(chunk, 1, (double) chunk * chunk, 0, 0, 0, 0) / chunk;
    assertThat(best / atChunk).isGreaterThanOrEqualTo(0.9);
    if (chunk > 64) {
      int smaller = chunk - 64;
      double below = predictor.predictStepUs(smaller, 1, (double) smaller * smaller, 0, 0, 0, 0) / smaller;
      assertThat(best / below).isLessThan(0.9);
    }
  }

  @Test
  void shouldFailNamingTheKeyWhenConfigIsInvalid() {
    assertThatThrownBy(() -> new LensPlannerConfig(1.5, 10_000, 256, 8192, 0.9, 32).validate())
        .hasMessageContaining("synergy.lens.tpot-margin-fraction");
    assertThatThrownBy(() -> new LensPlannerConfig(0.1, 10_000, 256, 100, 0.9, 32).validate())
        .hasMessageContaining("synergy.lens.max-token-budget");
  }
}
