package io.synergysched.router;

import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.runtime.mapping.TelemetryMapping;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.StepTelemetry;

/** Plausible records of the router's inputs, built by hand, for the unit tests of its parts. */
final class HandBuiltRecords {

  static final long NOW = 1_800_000_000_000L;

  private HandBuiltRecords() {}

  static EngineDescriptor.Builder descriptor(String engineId) {
    return EngineDescriptor.newBuilder()
        .setEngineId(engineId).setGpu("h100").setModel("llama-2-7b").setTensorParallel(1)
        .setKvBlocksTotal(6736).setBlockSizeTokens(16).setMaxNumBatchedTokens(8192)
        .setMaxNumSeqs(256).setMaxModelLen(4096).setScheduler("vllm-default")
        .setStartedAtMs(NOW - 60_000).setHeartbeatMs(NOW);
  }

  /** A decode step of {@code decodeSeqs} sequences of 300 tokens' context. */
  static StepObservation step(String engineId, long stepIndex, int decodeSeqs, long durationUs) {
    return new StepObservation(engineId, stepIndex, NOW + stepIndex * 20, durationUs, 0, 0, 0, 0, 0,
        decodeSeqs, 300L * decodeSeqs, 10, 1_000, 0, decodeSeqs, 0, 2_048);
  }

  static StepTelemetry stepTelemetry(String engineId, long stepIndex) {
    return TelemetryMapping.toTelemetry(step(engineId, stepIndex, 4, 20_000));
  }

  static RequestEvent event(String engineId, String requestId, RequestEventType type) {
    boolean finished = type == RequestEventType.FINISHED;
    return RequestEvent.newBuilder()
        .setEngineId(engineId).setRequestId(requestId).setType(type).setEventTimeMs(NOW)
        .setArrivalTimeMs(NOW - 500).setPromptTokens(100).setOutputTokens(finished ? 20 : 0)
        .setTtftUs(finished ? 300_000L : null).setTpotUs(finished ? 20_000L : null)
        .build();
  }

  static EngineStatus status(String engineId, long lastStepIndex, int waiting) {
    return new EngineStatus(engineId, lastStepIndex + 1, lastStepIndex, NOW, NOW + 20, 20_000,
        waiting, 4, 100, 1_000, 0, 4, 1_200, 2_048, 0);
  }
}
