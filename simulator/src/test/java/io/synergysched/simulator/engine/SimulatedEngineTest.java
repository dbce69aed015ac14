package io.synergysched.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.profile.BatchComposition;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedEngineTest {

  private static final ProfiledStepLatency LLAMA7B = ProfiledStepLatency.load(
      ProfileDirectory.shared(), EngineSpec.parse("a100:llama-2-7b:tp1"), ProfileOptions.DEFAULT);
  private static final long[] NO_HASHES = {};

  private static SimulatedEngine engine(EngineConfig config, String scheduler) {
    return new SimulatedEngine(config, LLAMA7B, BatchSchedulerRegistry.create(scheduler));
  }

  private static void drain(SimulatedEngine engine) {
    while (engine.isBusy()) {
      engine.finishStep();
    }
  }

  private static SimRequest request(long id, double arrival, int prompt, int output) {
    return new SimRequest(id, arrival, prompt, output, Double.NaN, Double.NaN, NO_HASHES);
  }

  @Test
  void shouldTakeOnePrefillStepThenOneDecodeStepPerTokenWhenAlone() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0"), "vllm-default");
    SimRequest r = request(1, 0, 512, 3);

    engine.submit(r, 0);
    drain(engine);

    double prefill = LLAMA7B.stepMs(new BatchComposition().addPrefillChunk(512, 0));
    double decode1 = LLAMA7B.stepMs(new BatchComposition().addDecode(513));
    double decode2 = LLAMA7B.stepMs(new BatchComposition().addDecode(514));
    assertThat(r.firstTokenTimeMs()).isCloseTo(prefill, within(1e-9));
    assertThat(r.finishTimeMs()).isCloseTo(prefill + decode1 + decode2, within(1e-9));
    assertThat(engine.stepsCompleted()).isEqualTo(3);
    assertThat(engine.kvBlocksUsed()).isZero();
  }

  @Test
  void shouldChunkThePromptWhenItExceedsTheTokenBudget() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0"), "sarathi-512");
    List<StepObservation> steps = new ArrayList<>();
    engine.setListener(new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        steps.add(step);
      }
    });

    engine.submit(request(1, 0, 1200, 1), 0);
    drain(engine);

    assertThat(steps).extracting(StepObservation::prefillTokens).containsExactly(512, 512, 176);
    assertThat(steps).extracting(StepObservation::prefillCachedContext).containsExactly(0L, 512L, 1024L);
    assertThat(steps).allSatisfy(s -> assertThat(s.tokenBudget()).isEqualTo(512));
  }

  @Test
  void shouldBatchDecodesFirstThenChunkNewPromptsWhenBudgetIsShared() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0"), "sarathi-512");
    List<StepObservation> steps = new ArrayList<>();
    engine.setListener(new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        steps.add(step);
      }
    });
    engine.submit(request(1, 0, 100, 50), 0);
    engine.submit(request(2, 1, 2000, 5), 1);
    engine.finishStep();
    engine.finishStep();

    assertThat(steps.get(0).prefillTokens()).isEqualTo(100);
    StepObservation mixed = steps.get(1);
    assertThat(mixed.decodeSeqs()).isEqualTo(1);
    assertThat(mixed.prefillTokens()).isEqualTo(511);
  }

  @Test
  void shouldPreemptTheLatestRunningRequestWhenKvBlocksRunOut() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0").withKvBlocks(12), "vllm-default");
    List<RequestObservation> events = new ArrayList<>();
    engine.setListener(new EngineListener() {
      @Override
      public void onRequestEvent(RequestObservation event) {
        events.add(event);
      }
    });
    SimRequest first = request(1, 0, 64, 100);
    SimRequest second = request(2, 0, 64, 100);

    engine.submit(first, 0);
    engine.submit(second, 0);
    drain(engine);

    assertThat(first.preemptions()).isZero();
    assertThat(second.preemptions()).isPositive();
    assertThat(events).filteredOn(e -> e.type() == RequestPhase.PREEMPTED)
        .allSatisfy(e -> assertThat(e.requestId()).isEqualTo(2));
    assertThat(first.isFinished()).isTrue();
    assertThat(second.isFinished()).isTrue();
    assertThat(second.finishTimeMs()).isGreaterThan(first.finishTimeMs());
    assertThat(engine.kvBlocksUsed()).isZero();
  }

  @Test
  void shouldSkipTheCachedPrefixWhenPrefixCachingIsOn() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0").withPrefixCaching(true), "vllm-default");
    long[] hashes = {11, 12};
    SimRequest first = new SimRequest(1, 0, 1024, 2, Double.NaN, Double.NaN, hashes);
    engine.submit(first, 0);
    drain(engine);
    SimRequest second = new SimRequest(2, 1000, 1024, 2, Double.NaN, Double.NaN, hashes);
    engine.submit(second, 1000);
    drain(engine);

    assertThat(first.cachedTokens()).isZero();
    assertThat(second.cachedTokens()).isEqualTo(1008);
    assertThat(second.firstTokenTimeMs() - 1000).isLessThan(first.firstTokenTimeMs() / 2);
  }

  @Test
  void shouldComputeTheWholePromptWhenPrefixCachingIsOff() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0"), "vllm-default");
    long[] hashes = {11, 12};
    engine.submit(new SimRequest(1, 0, 1024, 2, Double.NaN, Double.NaN, hashes), 0);
    drain(engine);
    SimRequest second = new SimRequest(2, 1000, 1024, 2, Double.NaN, Double.NaN, hashes);
    engine.submit(second, 1000);
    drain(engine);

    assertThat(second.cachedTokens()).isZero();
  }

  @Test
  void shouldRejectTheRequestWhenLongerThanTheModelContext() {
    SimulatedEngine engine = engine(EngineConfig.defaults("e0"), "vllm-default");
    SimRequest tooLong = request(1, 0, 4000, 200);

    engine.submit(tooLong, 0);

    assertThat(tooLong.isRejected()).isTrue();
    assertThat(engine.isBusy()).isFalse();
  }

  @Test
  void shouldRepeatStepTimesExactlyWhenNoiseSeedIsTheSame() {
    double[] finishes = new double[2];
    for (int run = 0; run < 2; run++) {
      SimulatedEngine engine =
          engine(EngineConfig.defaults("e0").withNoise(0.1, 42), "vllm-default");
      SimRequest r = request(1, 0, 300, 20);
      engine.submit(r, 0);
      drain(engine);
      finishes[run] = r.finishTimeMs();
    }
    double exact = 0;
    SimulatedEngine noiseless = engine(EngineConfig.defaults("e0"), "vllm-default");
    SimRequest r = request(1, 0, 300, 20);
    noiseless.submit(r, 0);
    drain(noiseless);
    exact = r.finishTimeMs();

    assertThat(finishes[0]).isEqualTo(finishes[1]);
    assertThat(finishes[0]).isNotEqualTo(exact).isCloseTo(exact, within(exact * 0.2));
  }

  @Test
  void shouldDeriveKvCapacityFromMemoryMinusWeightsAndReserve() {
    int blocks = EngineConfig.defaults("e0")
        .kvBlocks(LLAMA7B.model(), LLAMA7B.device(), 1);

    // 80 GB x 0.9 - 13.5 GB weights - 2 GB reserve = 56.5 GB at 512 KiB per token
    assertThat(blocks * 16).isBetween(105_000, 110_000);
  }
}
