package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.TrainedModels;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StepAllowanceTest {

  private static final LensSchedulerConfig CONFIG = LensSchedulerConfig.defaults();
  private static final double NOW_MS = 100_000;
  private static final int KV_ROOM = 1 << 20;
  /** TPOT 100 ms with a 10 ms margin: a 90 ms cap; 4,000 tokens at no decodes, 2,000 at 32. */
  private static final LensPlan HINT = hint(LensPlan.SLACK);

  private static EnginePerformancePredictor predictor;

  @BeforeAll
  static void trainModel() {
    predictor = EnginePerformancePredictor.of(TrainedModels.mediumLoadModel().snapshot(),
        StepLatencyModelConfig.defaults());
  }

  private static LensPlan hint(String policy) {
    return new LensPlan("e0", 1, 1, 0, 1_000_000, 100, 10,
        List.of(new LensPlan.BudgetPoint(0, 0, 4000), new LensPlan.BudgetPoint(32, 1024, 2000)),
        128, 256, 0.8, policy);
  }

  /** A decode with no first-token time: it gives the step no time in hand. */
  private static void addUnreportedDecodes(StepAllowance allowance, int n) {
    for (int i = 0; i < n; i++) {
      allowance.addDecode(1024, 10, Double.NaN, Double.NaN, NOW_MS);
    }
  }

  @Test
  void shouldReportTheSafeLimitsBeforeTheFirstStep() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    assertThat(allowance.tokenBudget()).isEqualTo(CONFIG.safeTokenBudget());
    assertThat(allowance.maxNumSeqs()).isEqualTo(CONFIG.safeMaxNumSeqs());
  }

  @Test
  void shouldTakeTheLimitsFromTheHintWhenOneIsValid() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(HINT);

    assertThat(allowance.maxNumSeqs()).isEqualTo(128);
    assertThat(allowance.kvWatermark()).isEqualTo(0.8);
    assertThat(allowance.preferredChunk()).isEqualTo(256);
    assertThat(allowance.fcfs()).isFalse();
    allowance.begin(hint(LensPlan.FCFS));
    assertThat(allowance.fcfs()).isTrue();
  }

  @Test
  void shouldApplyTheSafeDefaultsWhenThereIsNoHint() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(null);
    addUnreportedDecodes(allowance, 2);
    int prefill = allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(allowance.maxNumSeqs()).isEqualTo(CONFIG.safeMaxNumSeqs());
    assertThat(allowance.kvWatermark()).isEqualTo(CONFIG.safeKvWatermark());
    assertThat(allowance.preferredChunk()).isEqualTo(512);
    assertThat(allowance.fcfs()).isFalse();
    assertThat(allowance.allowUs()).isEqualTo(100 * (1 - CONFIG.safeTpotMarginFraction()) * 1000.0);
    assertThat(prefill).isEqualTo(CONFIG.safeTokenBudget() - 2);
    assertThat(allowance.tokenBudget()).isEqualTo(CONFIG.safeTokenBudget());
  }

  @Test
  void shouldGiveTheHintsBudgetAtThisDecodeLoadWhenNoDecodeHasTimeInHand() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(HINT);
    addUnreportedDecodes(allowance, 32);
    int prefill = allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(allowance.decodes()).isEqualTo(32);
    assertThat(allowance.decodeContext()).isEqualTo(32 * 1024L);
    assertThat(allowance.allowUs()).isEqualTo(90_000.0);
    assertThat(prefill).isEqualTo(2000 - 32);
  }

  @Test
  void shouldStretchToTheDecodeWithTheLeastTimeInHandWhenEveryDecodeIsAhead() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(HINT);
    // 100 tokens at 90 ms each allowed, 1 s spent: 8 s in hand; 50 tokens, 2 s spent: 2.5 s.
    allowance.addDecode(1024, 100, NOW_MS - 1000, 100, NOW_MS);
    allowance.addDecode(1024, 50, NOW_MS - 2000, 100, NOW_MS);
    int prefill = allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(allowance.allowUs()).isCloseTo(2_500_000, within(1e-3));
    assertThat(prefill)
        .isEqualTo(predictor.prefillCapacity(allowance.allowUs(), 2, 2048, 0, CONFIG.maxStepTokens() - 2))
        .isGreaterThan(HINT.tokenBudgetAt(2) - 2);
  }

  @Test
  void shouldKeepThePlannedBudgetWhenTheStretchGainsUnderTenPercent() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(HINT);
    // 10 tokens at 90 ms allowed, 805 ms spent: 95 ms in hand against a 90 ms cap.
    allowance.addDecode(1024, 10, NOW_MS - 805, 100, NOW_MS);
    int prefill = allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(allowance.allowUs()).isCloseTo(95_000, within(1e-3));
    assertThat(prefill).isEqualTo(HINT.tokenBudgetAt(1) - 1);
  }

  @Test
  void shouldAllowTheLargestStepWhenNoDecodesRun() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(HINT);
    int prefill = allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(allowance.allowUs()).isInfinite();
    assertThat(prefill).isEqualTo(CONFIG.maxStepTokens());
  }

  @Test
  void shouldLeaveTheDecodesTheirKvWhenTheCacheIsNearlyFull() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);

    allowance.begin(HINT);
    addUnreportedDecodes(allowance, 4);
    assertThat(allowance.prefillTokens(predictor, 300)).isEqualTo(300);
    assertThat(allowance.tokenBudget()).isEqualTo(304);

    allowance.begin(HINT);
    addUnreportedDecodes(allowance, 4);
    assertThat(allowance.prefillTokens(predictor, -64)).isZero();
    assertThat(allowance.tokenBudget()).isEqualTo(4);
  }

  @Test
  void shouldAllowNoPrefillWhenTheDecodesAloneBreakTheAllowance() {
    // A 1 ms TPOT default: a 0.9 ms cap, which 64 decodes of 4k context cannot meet.
    StepAllowance allowance = new StepAllowance(CONFIG, 1);

    allowance.begin(null);
    for (int i = 0; i < 64; i++) {
      allowance.addDecode(4096, 10, Double.NaN, Double.NaN, NOW_MS);
    }
    int prefill = allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(predictor.predictStepUs(0, 0, 0, 0, 0, 64, 64 * 4096L)).isGreaterThan(allowance.allowUs());
    assertThat(prefill).isZero();
    assertThat(allowance.tokenBudget()).as("the budget before the check").isEqualTo(CONFIG.safeTokenBudget());
  }

  @Test
  void shouldStartEachStepAfreshWhenBegunAgain() {
    StepAllowance allowance = new StepAllowance(CONFIG, 100);
    allowance.begin(HINT);
    allowance.addDecode(1024, 50, NOW_MS - 2000, 100, NOW_MS);
    allowance.prefillTokens(predictor, KV_ROOM);

    allowance.begin(HINT);
    addUnreportedDecodes(allowance, 1);
    allowance.prefillTokens(predictor, KV_ROOM);

    assertThat(allowance.decodes()).isEqualTo(1);
    assertThat(allowance.decodeContext()).isEqualTo(1024);
    assertThat(allowance.allowUs()).isEqualTo(90_000.0);
  }
}
