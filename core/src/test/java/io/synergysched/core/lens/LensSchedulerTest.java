package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.lens.FakeSchedulingContext.Request;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.TrainedModels;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LensSchedulerTest {

  private static EnginePerformancePredictor predictor;
  private static LensPlan hint;

  @BeforeAll
  static void trainModel() {
    predictor = EnginePerformancePredictor.of(TrainedModels.mediumLoadModel().snapshot(),
        StepLatencyModelConfig.defaults());
    hint = new LensPlanner(LensPlannerConfig.defaults()).plan("e0", predictor, 100, 1024, 7000, 16, 0, 1);
  }

  private static LensScheduler scheduler(LensPlan h) {
    return LensScheduler.withHints(LensSchedulerConfig.defaults(), now -> h, predictor, 1000, 100);
  }

  private static List<Request> decodes(int n, long firstId, double arrivalMs) {
    List<Request> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Request.decoding(firstId + i, arrivalMs, 1000, 24));
    }
    return list;
  }

  @Test
  void shouldScheduleEveryDecodeAndStayUnderTheTpotCapWhenPrefillsWait() {
    List<Request> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(Request.waiting(100 + i, 9_990, 1500));
    }
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, decodes(32, 0, 0), waiting, 7000, 6000);

    scheduler(hint).schedule(ctx);

    assertThat(ctx.decodesScheduled()).isEqualTo(32);
    int prefill = ctx.prefillTokensScheduled();
    assertThat(prefill).isPositive().isLessThanOrEqualTo(hint.tokenBudgetAt(32) - 32);
    double capUs = (hint.tpotTargetMs() - hint.tpotMarginMs()) * 1000;
    // Conservative shape: all the prefill as one chunk.
    double stepUs = predictor.predictStepUs(prefill, 1, (double) prefill * prefill, 0, 0, 32, 32 * 1024.0);
    assertThat(stepUs).isLessThanOrEqualTo(capUs);
  }

  @Test
  void shouldApplyTheSafeBudgetWhenTheHintHasExpired() {
    LensPlan expired = new LensPlan("e0", 1, 1, 0, 10, 100, 10,
        List.of(new LensPlan.BudgetPoint(0, 0, 8000)), 256, 512, 0.9, LensPlan.SLACK);
    List<Request> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(Request.waiting(100 + i, 9_990, 1500));
    }
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, decodes(8, 0, 0), waiting, 7000, 6000);
    LensScheduler scheduler = scheduler(expired);

    scheduler.schedule(ctx);

    assertThat(ctx.prefillTokensScheduled())
        .isLessThanOrEqualTo(LensSchedulerConfig.defaults().safeTokenBudget() - 8);
    assertThat(scheduler.fallbackSteps()).isEqualTo(1);
    assertThat(scheduler.appliedHint()).isNull();
  }

  @Test
  void shouldReportTheAppliedHintAndFallBackWhenItExpiresWhenFedFromOutside() {
    LatestLensHint source = new LatestLensHint();
    LensScheduler scheduler = LensScheduler.learning(
        io.synergysched.core.scheduling.SchedulerEnvironment.standalone("e0"), LensSchedulerConfig.defaults(),
        source, StepLatencyModelConfig.defaults());
    List<Request> waiting = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      waiting.add(Request.waiting(100 + i, 9_990, 1500));
    }
    scheduler.schedule(new FakeSchedulingContext(10_000, decodes(8, 0, 0), waiting, 7000, 6000));
    assertThat(scheduler.appliedHint()).isNull();
    assertThat(scheduler.wantsStepFeedback()).isTrue();

    LensPlan live = new LensPlan("e0", 4, 42, 10_000, 20_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 0, 6000)), 128, 256, 0.9, LensPlan.SLACK);
    source.offer(live);
    scheduler.schedule(new FakeSchedulingContext(15_000, decodes(8, 0, 0), waiting, 7000, 6000));
    assertThat(scheduler.appliedHint()).isSameAs(live);
    assertThat(scheduler.appliedHint().modelVersion()).isEqualTo(42);

    scheduler.schedule(new FakeSchedulingContext(20_001, decodes(8, 0, 0), waiting, 7000, 6000));
    assertThat(scheduler.appliedHint()).isNull();
    assertThat(scheduler.fallbackSteps()).isEqualTo(2);
  }

  @Test
  void shouldStretchTheStepWhenEveryDecodeIsWellAheadOfItsTpot() {
    // 24 tokens out after 1 s: 2.4 s of TPOT budget used 1 s, so a long step hurts no decode.
    List<Request> running = decodes(16, 0, 0);
    for (Request r : running) {
      r.firstTokenMs = 9_000;
    }
    List<Request> waiting = List.of(Request.waiting(100, 9_990, 4000));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, running, waiting, 7000, 6000);

    LensScheduler scheduler = scheduler(hint);
    scheduler.schedule(ctx);

    assertThat(ctx.decodesScheduled()).isEqualTo(16);
    assertThat(scheduler.tokenBudget()).isGreaterThan(hint.tokenBudgetAt(16));
  }

  @Test
  void shouldKeepThePlannedCapWhenOneDecodeHasNoTimeInHand() {
    List<Request> running = decodes(16, 0, 0);
    for (Request r : running) {
      r.firstTokenMs = 9_000;
    }
    running.get(3).firstTokenMs = 10_000 - 24 * 100 * 0.95 + 1; // just behind its pace
    List<Request> waiting = List.of(Request.waiting(100, 9_990, 4000));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, running, waiting, 7000, 6000);

    LensScheduler scheduler = scheduler(hint);
    scheduler.schedule(ctx);

    assertThat(scheduler.tokenBudget()).isEqualTo(hint.tokenBudgetAt(16));
    assertThat(ctx.prefillTokensScheduled()).isLessThanOrEqualTo(hint.tokenBudgetAt(16) - 16);
  }

  @Test
  void shouldShedWaitingRequestWhenItWaitedLongerThanTheShedMultiple() {
    List<Request> waiting = List.of(Request.waiting(1, 7_000, 500), Request.waiting(2, 9_900, 500));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, List.of(), waiting, 7000, 6000);
    LensScheduler scheduler = scheduler(hint);

    scheduler.schedule(ctx);

    assertThat(ctx.shed).containsExactly(1L);
    assertThat(scheduler.shedRequests()).isEqualTo(1);
    assertThat(scheduler.wasDeferred(1)).isTrue();
    assertThat(ctx.tokensFor(2)).isEqualTo(500);
  }

  @Test
  void shouldServeSaveableRequestsFirstWhenAHopelessOneIsAhead() {
    // Request 1 has 5 ms left for 6,000 tokens: hopeless, deferred behind request 2.
    List<Request> waiting = List.of(Request.waiting(1, 8_995, 6000), Request.waiting(2, 9_990, 800));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, decodes(16, 100, 0), waiting, 7000, 6000);
    LensScheduler scheduler = scheduler(hint);

    scheduler.schedule(ctx);

    assertThat(scheduler.wasDeferred(1)).isTrue();
    assertThat(scheduler.wasDeferred(2)).isFalse();
    assertThat(ctx.tokensFor(2)).isEqualTo(800);
  }

  @Test
  void shouldSolveTheKnapsackAndKeepShortRequestsWhenNotAllCanMeetTtft() {
    // Everyone's deadline is 300 ms away; a few thousand tokens fit before it, not 30,000.
    List<Request> waiting = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      waiting.add(Request.waiting(i, 9_300, i % 2 == 0 ? 2500 : 300));
    }
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, decodes(16, 100, 0), waiting, 7000, 6000);
    LensScheduler scheduler = scheduler(hint);

    scheduler.schedule(ctx);

    assertThat(scheduler.knapsackSolves()).isEqualTo(1);
    for (int i = 1; i < 12; i += 2) {
      assertThat(scheduler.wasDeferred(i)).as("short request %d", i).isFalse();
    }
    assertThat(scheduler.deferredRequests()).isPositive();
    long deferredLong = 0;
    for (int i = 0; i < 12; i += 2) {
      deferredLong += scheduler.wasDeferred(i) ? 1 : 0;
    }
    assertThat(deferredLong).isEqualTo(scheduler.deferredRequests());
  }

  @Test
  void shouldNotRunTheKnapsackWhenEveryDeadlineCanBeMet() {
    List<Request> waiting = List.of(Request.waiting(1, 9_990, 300), Request.waiting(2, 9_990, 300));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, decodes(8, 100, 0), waiting, 7000, 6000);
    LensScheduler scheduler = scheduler(hint);

    scheduler.schedule(ctx);

    assertThat(scheduler.knapsackSolves()).isZero();
    assertThat(scheduler.deferredRequests()).isZero();
    // The window search ends the step where a prefill completes instead of splitting one.
    assertThat(ctx.tokensFor(1)).isEqualTo(300);
    assertThat(ctx.tokensFor(1) + ctx.tokensFor(2)).isIn(300L, 600L);
  }

  @Test
  void shouldAdmitNothingNewWhenKvUseIsAboveTheWatermark() {
    List<Request> waiting = List.of(Request.waiting(1, 9_990, 300));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, decodes(8, 100, 0), waiting, 7000, 100);

    scheduler(hint).schedule(ctx);

    assertThat(ctx.tokensFor(1)).isZero();
    assertThat(ctx.decodesScheduled()).isEqualTo(8);
  }
}
