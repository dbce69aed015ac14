package io.synergysched.runtime.records;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import java.util.List;

/** One valid record of each type, built by hand, for a test to break one field of. */
final class ValidRecords {

  static final long NOW = 1_800_000_000_000L;

  private ValidRecords() {}

  static InferenceRequest request() {
    return InferenceRequest.newBuilder()
        .setRequestId("r-1").setArrivalTimeMs(NOW).setPromptTokens(100).setMaxOutputTokens(20)
        .setSloTtftMs(2_000).setSloTpotMs(200)
        .build();
  }

  static RoutedRequest routed(String engineId, InferenceRequest request) {
    return RoutedRequest.newBuilder()
        .setEngineId(engineId).setDecisionId("d-1").setRoutedAtMs(NOW).setPolicy("prism")
        .setRequest(request)
        .build();
  }

  static RequestEvent.Builder event(RequestEventType type) {
    return RequestEvent.newBuilder()
        .setEngineId("e0").setRequestId("r-1").setType(type).setEventTimeMs(NOW)
        .setArrivalTimeMs(NOW - 500).setPromptTokens(100).setCachedPromptTokens(0)
        .setOutputTokens(type == RequestEventType.FINISHED ? 20 : 0)
        .setTtftUs(type == RequestEventType.FINISHED ? 300_000L : null)
        .setTpotUs(type == RequestEventType.FINISHED ? 20_000L : null)
        .setSloTtftMs(2_000).setSloTpotMs(200);
  }

  static EngineDescriptor.Builder descriptor(String engineId) {
    return EngineDescriptor.newBuilder()
        .setEngineId(engineId).setGpu("h100").setModel("llama-2-7b").setTensorParallel(1)
        .setKvBlocksTotal(6736).setBlockSizeTokens(16).setMaxNumBatchedTokens(8192)
        .setMaxNumSeqs(256).setMaxModelLen(4096).setScheduler("vllm-default")
        .setStartedAtMs(NOW - 60_000).setHeartbeatMs(NOW);
  }

  /** A decode step of four sequences. */
  static StepObservation step(String engineId, long durationUs) {
    return new StepObservation(
        engineId, 7, NOW, durationUs, 0, 0, 0, 0, 0, 4, 1_000, 10, 1_000, 0, 4, 0, 2_048);
  }

  static LensPlan hint(String engineId) {
    return new LensPlan(engineId, 3, 43, NOW, NOW + 10_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 0, 4096), new LensPlan.BudgetPoint(64, 900, 2048)),
        128, 256, 0.9, LensPlan.SLACK);
  }
}
