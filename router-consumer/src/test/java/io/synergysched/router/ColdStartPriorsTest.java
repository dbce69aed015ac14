package io.synergysched.router;

import static io.synergysched.router.HandBuiltRecords.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.runtime.query.EngineSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartPriorsTest {

  private static final long STARTED_AT = NOW - 1_000;

  private final EngineRoster roster = new EngineRoster();
  private final ColdStartPriors priors = new ColdStartPriors(STARTED_AT);

  /** A trainer model of an engine after {@code steps} steps (decode steps, 5 ms + 0.25 ms a sequence). */
  private static StepLatencyModelState trained(int steps) {
    StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
    for (int i = 0; i < steps; i++) {
      int seqs = 1 + i % 32;
      model.learn(HandBuiltRecords.step("e0", i, seqs, 5_000 + 250L * seqs));
    }
    return model.snapshot();
  }

  private static TrainerSnapshotPoller.Snapshot snapshot(EngineSnapshot... engines) {
    return new TrainerSnapshotPoller.Snapshot(NOW, List.of(engines));
  }

  private void live(String engineId, String gpu) {
    roster.describe(engineId, HandBuiltRecords.descriptor(engineId).setGpu(gpu).build(), NOW);
    roster.refresh(NOW, 3_000);
  }

  @Test
  void shouldWaitWhenNoEngineIsLive() {
    assertThat(priors.whenReady(roster, snapshot(), NOW)).isEmpty();
  }

  @Test
  void shouldWaitForTheFirstSnapshotOnlyUntilTheWaitIsOver() {
    live("e0", "h100");

    assertThat(priors.whenReady(roster, null, NOW)).isEmpty();
    assertThat(priors.whenReady(roster, null, STARTED_AT + ColdStartPriors.WAIT.toMillis()))
        .as("routes without priors after the wait").hasValue(Map.of());
  }

  @Test
  void shouldGiveOnePriorPerEngineClassWhenTheTrainersModelIsWarm() {
    live("e0", "h100");
    live("e1", "h100");
    live("e2", "a100");
    StepLatencyModelState warm = trained(200);
    StepLatencyModelState cold = trained(3);

    Map<String, StepLatencyPrior> byClass = priors.whenReady(roster, snapshot(
        EngineSnapshot.of("e0", null, null, warm, "t:1"),
        EngineSnapshot.of("e1", null, null, warm, "t:1"),
        EngineSnapshot.of("e2", null, null, cold, "t:1"),
        EngineSnapshot.of("e9", null, null, warm, "t:1")), NOW).orElseThrow();

    String h100 = StepLatencyPrior.classKey("h100", "llama-2-7b", 1);
    assertThat(byClass).as("a100's model is not warm yet; e9 is no engine of the roster")
        .containsOnlyKeys(h100);
    StepLatencyPrior prior = byClass.get(h100);
    assertThat(prior.pseudoObservations()).isEqualTo(ColdStartPriors.PSEUDO_OBSERVATIONS);
    assertThat(prior.fittedSteps()).isEqualTo(200);
  }
}
