package io.synergysched.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WallClockEngineDriverTest {

  private static final ProfiledStepLatency LLAMA7B = ProfiledStepLatency.load(
      ProfileDirectory.shared(), EngineSpec.parse("a100:llama-2-7b:tp1"), ProfileOptions.DEFAULT);

  @Test
  void shouldServeRequestsSubmittedFromAnotherThreadWhenRunningOnTheWallClock() throws Exception {
    SimulatedEngine engine = new SimulatedEngine(
        EngineConfig.defaults("e0"), LLAMA7B, BatchSchedulerRegistry.create("vllm-default"));
    List<StepObservation> steps = new CopyOnWriteArrayList<>();
    List<RequestObservation> events = new CopyOnWriteArrayList<>();
    CountDownLatch finished = new CountDownLatch(3);
    engine.setListener(new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        steps.add(step);
      }

      @Override
      public void onRequestEvent(RequestObservation event) {
        events.add(event);
        if (event.type() == RequestPhase.FINISHED) {
          finished.countDown();
        }
      }
    });
    // 100 times faster than real time: 3 requests of 20 output tokens take well under a second
    try (WallClockEngineDriver driver = new WallClockEngineDriver(engine, 100, System::nanoTime)) {
      driver.start();
      for (int id = 0; id < 3; id++) {
        driver.submit(new SimRequest(id, driver.virtualNowMs(), 512, 20, Double.NaN, Double.NaN,
            new long[0]));
      }
      assertThat(finished.await(60, TimeUnit.SECONDS)).as("all requests finished").isTrue();
      assertThat(driver.failure()).isNull();
    }

    assertThat(events).filteredOn(e -> e.type() == RequestPhase.FINISHED).hasSize(3);
    // the virtual clock runs forward: steps never overlap and start in order
    for (int i = 1; i < steps.size(); i++) {
      StepObservation previous = steps.get(i - 1);
      assertThat(steps.get(i).stepIndex()).isEqualTo(previous.stepIndex() + 1);
      assertThat(steps.get(i).startTimeMs() * 1000 + 1000)
          .isGreaterThanOrEqualTo(previous.startTimeMs() * 1000 + previous.durationUs());
    }
    // each request produced its 20 tokens: one prefill step (with its first token) and 19 decodes
    assertThat(steps.stream().mapToInt(StepObservation::decodeSeqs).sum()).isEqualTo(3 * 19);
  }

  @Test
  void shouldRefuseASpeedThatIsNotAPositiveFactor() {
    SimulatedEngine engine = new SimulatedEngine(
        EngineConfig.defaults("e0"), LLAMA7B, BatchSchedulerRegistry.create("vllm-default"));
    assertThatThrownBy(() -> new WallClockEngineDriver(engine, 0, System::nanoTime))
        .hasMessageContaining("speed");
  }
}
