package io.synergysched.trainer.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.schemas.CandidateScore;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.SloWindow;
import io.synergysched.runtime.query.EngineSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's server-side aggregation, fed 64 engines for ten minutes of one-second ticks. */
class DashboardStateTest {

  private static final int ENGINES = 64;
  private static final long T0 = 1_700_000_000_000L;
  private final ObjectMapper json = new ObjectMapper();

  private static String engine(int i) {
    return String.format("engine-%02d", i);
  }

  private static List<EngineSnapshot> views(long nowMs, int second) {
    List<EngineSnapshot> views = new ArrayList<>();
    for (int i = 0; i < ENGINES; i++) {
      EngineStatus status = new EngineStatus(engine(i), second + 1, second, nowMs - 20, nowMs,
          15_000 + 100 * i, 2, 8, 100, 1000, 256, 8, 4096, 2048, 0);
      views.add(new EngineSnapshot(engine(i), status, new EngineSnapshot.ModelSummary(second, "", second,
          512, Map.of(), 0.95, 0.01 * (i % 10), 15), null, "here", null));
    }
    return views;
  }

  private static RoutingDecision decision(long atMs, int engine, int n) {
    return RoutingDecision.newBuilder().setDecisionId("d" + n).setRequestId("r" + n)
        .setPolicy("prism").setDecidedAtMs(atMs).setOutcome(DecisionOutcome.ROUTED)
        .setChosenEngineId(engine(engine)).setReason("lowest predicted TTFT")
        .setSnapshotAgeMs(20).setDecisionLatencyUs(80).setCandidates(List.of()).build();
  }

  @Test
  void shouldKeepBoundedHistoryAndSmallDeltasWith64Engines() throws Exception {
    DashboardState state = new DashboardState();
    int largestDelta = 0;
    int decisions = 0;
    for (int s = 0; s < 600; s++) {
      long now = T0 + s * 1000L;
      state.sample(now, views(now, s));
      for (int r = 0; r < 128; r++) { // 128 requests per second, two per engine
        state.decision(decision(now - 500, r % ENGINES, decisions++));
      }
      if (s % 10 == 9) {
        for (int i = 0; i < ENGINES; i++) {
          state.sloWindow(SloWindow.newBuilder().setEngineId(engine(i)).setWindowStartMs(now - 10_000)
              .setWindowEndMs(now).setFinished(20).setTtftMet(19).setTpotMet(19)
              .setBothMet(i < 32 ? 20 : 15).setRejected(0).build());
        }
      }
      byte[] delta = json.writeValueAsBytes(state.delta(now));
      largestDelta = Math.max(largestDelta, delta.length);
    }
    long end = T0 + 599_000;
    assertThat(state.engineCount()).isEqualTo(ENGINES);
    for (int i = 0; i < ENGINES; i++) {
      assertThat(state.stepHistory(engine(i))).isEqualTo(DashboardState.STEP_HISTORY);
    }
    // one delta per tick stays a few hundred bytes per engine, whatever the history
    assertThat(largestDelta).as("largest delta, bytes").isLessThan(ENGINES * 400);
    JsonNode snapshot = json.readTree(json.writeValueAsBytes(state.snapshot(end)));
    assertThat(snapshot.get("engines")).hasSize(ENGINES);
    JsonNode first = snapshot.get("engines").get(0);
    assertThat(first.get("steps")).hasSize(DashboardState.STEP_HISTORY);
    assertThat(first.get("slo")).hasSize(DashboardState.SLO_HISTORY);
    assertThat(first.get("rate").asDouble()).as("requests per second to one engine").isEqualTo(2.0);
    assertThat(snapshot.get("routedPerSecond").asDouble()).isEqualTo(128.0);
    assertThat(snapshot.get("overall")).hasSize(DashboardState.SLO_HISTORY);
    // half the engines met every SLO, half three quarters: 87.5% for the cluster
    assertThat(snapshot.get("overall").get(0).get(1).asDouble()).isEqualTo(0.875);
    assertThat(state.latestOverallAttainment()).isEqualTo(0.875);
    assertThat(snapshot.get("decisions")).hasSize(DashboardState.LAST_DECISIONS);
    assertThat(snapshot.get("decisions").get(0).get("reason").asText()).isEqualTo("lowest predicted TTFT");
    assertThat(snapshot.get("outcomes").get("ROUTED").asLong()).isEqualTo(decisions);
    JsonNode step = first.get("steps").get(DashboardState.STEP_HISTORY - 1);
    assertThat(step.get(0).asLong()).isEqualTo(end);
    assertThat(step.get(2).asDouble()).as("measured ms").isEqualTo(15.0);
    assertThat(first.get("hint").isNull()).isTrue();
  }

  @Test
  void shouldExplainADecisionFromItsCandidates() {
    RoutingDecision d = RoutingDecision.newBuilder(decision(T0, 1, 0)).setReason(null)
        .setCandidates(List.of(
            new CandidateScore(engine(0), true, null, 0.40, 300.0, 9.0, 3L),
            new CandidateScore(engine(1), true, null, 0.83, 120.0, 8.25, 4L),
            new CandidateScore(engine(2), false, "kv-capacity", 0.0, null, null, -1L),
            new CandidateScore(engine(3), false, "kv-capacity", 0.0, null, null, -1L)))
        .build();
    assertThat(DashboardState.reason(d)).isEqualTo(
        "score 0.83, TTFT 120 ms, TPOT 8.3 ms; next engine-00 0.40; 2 removed by kv-capacity");
  }

  @Test
  void shouldSendOnlyWhatChangedSinceTheLastDelta() throws Exception {
    DashboardState state = new DashboardState();
    state.sample(T0, views(T0, 0));
    JsonNode first = json.readTree(json.writeValueAsBytes(state.delta(T0)));
    assertThat(first.get("engines").get(0).has("step")).isTrue();
    // the same steps again: nothing new per engine
    state.sample(T0 + 1000, views(T0, 0));
    JsonNode second = json.readTree(json.writeValueAsBytes(state.delta(T0 + 1000)));
    assertThat(second.get("engines").get(0).has("step")).isFalse();
    assertThat(second.has("decisions")).isFalse();
    assertThat(second.has("deadLetters")).isFalse();
    state.deadLetter(DeadLetter.newBuilder().setSourceTopic("synergy.engine.steps")
        .setSourcePartition(0).setSourceOffset(3).setStage("model-trainer/decode-step")
        .setError("unknown framing").setFailedAtMs(T0).build());
    state.deadLetter(DeadLetter.newBuilder().setSourceTopic("synergy.engine.steps")
        .setSourcePartition(0).setSourceOffset(4).setStage("model-trainer/decode-step")
        .setError("truncated body").setFailedAtMs(T0).build());
    JsonNode third = json.readTree(json.writeValueAsBytes(state.delta(T0 + 2000)));
    assertThat(third.get("deadLetters")).hasSize(1);
    assertThat(third.get("deadLetters").get(0).get("count").asLong()).isEqualTo(2);
    assertThat(third.get("deadLetters").get(0).get("lastError").asText()).isEqualTo("truncated body");
  }
}
