package io.synergysched.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every schema, keyed as its topic is keyed. */
public final class SampleRecords {

  private SampleRecords() {}

  public static StepTelemetry stepTelemetry() {
    return StepTelemetry.newBuilder()
        .setEngineId("a100-0")
        .setStepIndex(41)
        .setStartTimeMs(1_700_000_000_123L)
        .setDurationUs(23_456)
        .setPrefillTokens(512)
        .setPrefillChunks(2)
        .setPrefillChunkSqSum(256L * 256 * 2)
        .setPrefillCachedContext(1024)
        .setPrefillChunkContextProduct(256L * 1024)
        .setDecodeSeqs(31)
        .setDecodeContextSum(31L * 900)
        .setKvBlocksUsed(1200)
        .setKvBlocksTotal(4000)
        .setWaiting(3)
        .setRunning(33)
        .setPreemptions(0)
        .setTokenBudget(8192)
        .setLensHintVersion(7)
        .build();
  }

  public static RequestEvent requestEvent() {
    return RequestEvent.newBuilder()
        .setEngineId("a100-0")
        .setRequestId("req-1")
        .setType(RequestEventType.FINISHED)
        .setEventTimeMs(1_700_000_005_000L)
        .setArrivalTimeMs(1_700_000_000_000L)
        .setPromptTokens(1020)
        .setCachedPromptTokens(512)
        .setOutputTokens(129)
        .setSloTtftMs(1000)
        .setSloTpotMs(100)
        .setTtftUs(412_000L)
        .setTpotUs(38_000L)
        .setReason(null)
        .build();
  }

  public static EngineDescriptor engineDescriptor() {
    return EngineDescriptor.newBuilder()
        .setEngineId("h100-1")
        .setGpu("h100")
        .setModel("llama-2-7b")
        .setTensorParallel(1)
        .setKvBlocksTotal(4000)
        .setBlockSizeTokens(16)
        .setMaxNumBatchedTokens(8192)
        .setMaxNumSeqs(256)
        .setMaxModelLen(4096)
        .setScheduler("vllm-default")
        .setEndpoint("http://127.0.0.1:8000")
        .setStartedAtMs(1_700_000_000_000L)
        .setHeartbeatMs(1_700_000_010_000L)
        .build();
  }

  public static InferenceRequest inferenceRequest() {
    return InferenceRequest.newBuilder()
        .setRequestId("req-1")
        .setArrivalTimeMs(1_700_000_000_000L)
        .setPromptTokens(1020)
        .setMaxOutputTokens(1024)
        .setExpectedOutputTokens(129)
        .setSloTtftMs(1000)
        .setSloTpotMs(100)
        .setPriority(1)
        .setSessionId("session-9")
        .setPrefixBlockHashes(List.of(11L, 12L))
        .setPrefixBlockSizeTokens(512)
        .setModel("llama-2-7b")
        .setPayload(new RequestPayload(EndpointKind.CHAT,
            "{\"model\":\"llama-2-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}"))
        .setReplyTo("synergy.responses")
        .setCorrelationId("corr-1")
        .build();
  }

  /** A streamed chunk of an answer. */
  public static InferenceResponse responseChunk() {
    return InferenceResponse.newBuilder()
        .setRequestId("req-1")
        .setCorrelationId("corr-1")
        .setSequence(0)
        .setKind(ResponseKind.CHUNK)
        .setEventTimeMs(1_700_000_000_400L)
        .setEngineId("a100-0")
        .setModel("llama-2-7b")
        .setDeltaText("Hello")
        .setTokens(1)
        .build();
  }

  /** The final record of an answer that ended in an error. */
  public static InferenceResponse responseFinal() {
    return InferenceResponse.newBuilder()
        .setRequestId("req-1")
        .setSequence(7)
        .setKind(ResponseKind.FINAL)
        .setEventTimeMs(1_700_000_001_000L)
        .setFinishReason("error")
        .setPromptTokens(1020)
        .setCompletionTokens(6)
        .setCachedTokens(512)
        .setTtftUs(400_000L)
        .setTpotUs(30_000L)
        .setError(new ResponseError("server_error", "engine_lost", "engine a100-0 stopped", 503))
        .build();
  }

  public static RequestCancel requestCancel() {
    return RequestCancel.newBuilder()
        .setRequestId("req-1")
        .setCancelledAtMs(1_700_000_000_500L)
        .setReason("client disconnected")
        .build();
  }

  public static RoutedRequest routedRequest() {
    return RoutedRequest.newBuilder()
        .setEngineId("a100-0")
        .setDecisionId("dec-1")
        .setRoutedAtMs(1_700_000_000_002L)
        .setPolicy("prism")
        .setPredictedTtftMs(350.5)
        .setPredictedTpotMs(41.0)
        .setRequest(inferenceRequest())
        .build();
  }

  public static RoutingDecision routingDecision() {
    return RoutingDecision.newBuilder()
        .setDecisionId("dec-1")
        .setRequestId("req-1")
        .setPolicy("prism")
        .setDecidedAtMs(1_700_000_000_002L)
        .setOutcome(DecisionOutcome.ROUTED)
        .setChosenEngineId("a100-0")
        .setReason("highest SLO headroom")
        .setSnapshotAgeMs(12)
        .setDecisionLatencyUs(9)
        .setCandidates(
            List.of(
                CandidateScore.newBuilder()
                    .setEngineId("a100-0")
                    .setFeasible(true)
                    .setFilteredBy(null)
                    .setScore(0.8)
                    .setPredictedTtftMs(350.5)
                    .setPredictedTpotMs(41.0)
                    .setModelVersion(3)
                    .build(),
                CandidateScore.newBuilder()
                    .setEngineId("a100-1")
                    .setFeasible(false)
                    .setFilteredBy("slo-feasibility")
                    .setScore(0.0)
                    .setPredictedTtftMs(1500.0)
                    .setPredictedTpotMs(120.0)
                    .setModelVersion(5)
                    .build()))
        .build();
  }

  public static PerformanceModel performanceModel() {
    return PerformanceModel.newBuilder()
        .setEngineId("a100-0")
        .setModelClass("a100:llama-2-7b:tp1")
        .setVersion(3)
        .setFeatureNames(List.of("const", "tokens", "decode_ctx"))
        .setCoefficients(List.of(9000.0, 12.5, 0.004))
        .setSamples(12_000)
        .setResidualStdUs(310.0)
        .setR2(0.991)
        .setMape(0.021)
        .setLastStepIndex(11_999)
        .setUpdatedAtMs(1_700_000_100_000L)
        .setState(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .build();
  }

  public static LensHint lensHint() {
    return LensHint.newBuilder()
        .setEngineId("a100-0")
        .setHintVersion(7)
        .setModelVersion(3)
        .setIssuedAtMs(1_700_000_100_000L)
        .setValidUntilMs(1_700_000_130_000L)
        .setTpotTargetMs(100.0)
        .setTpotMarginMs(10.0)
        .setBudgetCurve(
            List.of(
                BudgetPoint.newBuilder()
                    .setDecodeSeqs(0)
                    .setDecodeContextMean(0)
                    .setTokenBudget(4096)
                    .build(),
                BudgetPoint.newBuilder()
                    .setDecodeSeqs(128)
                    .setDecodeContextMean(1024)
                    .setTokenBudget(1536)
                    .build()))
        .setMaxNumSeqs(256)
        .setChunkSizeTokens(1024)
        .setKvAdmissionWatermark(0.92)
        .setPriorityPolicy("slack")
        .build();
  }

  public static SloWindow sloWindow() {
    return SloWindow.newBuilder()
        .setEngineId("a100-0")
        .setWindowStartMs(1_700_000_000_000L)
        .setWindowEndMs(1_700_000_010_000L)
        .setFinished(40)
        .setTtftMet(38)
        .setTpotMet(39)
        .setBothMet(37)
        .setRejected(1)
        .setTtftP50Ms(300.0)
        .setTtftP99Ms(950.0)
        .setTpotP50Ms(40.0)
        .setTpotP99Ms(90.0)
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("synergy.engine.steps")
        .setSourcePartition(2)
        .setSourceOffset(1234)
        .setStage("model-trainer/validate")
        .setError("durationUs is negative")
        .setErrorClass(null)
        .setFailedAtMs(1_700_000_000_500L)
        .setKey(ByteBuffer.wrap("a100-0".getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1}))
        .build();
  }

  /** The sample record of every topic's value type, by topic name. */
  public static Map<Topics.TopicSpec<?>, SpecificRecord> byTopic() {
    return Map.ofEntries(
        Map.entry(Topics.ENGINE_STEPS, stepTelemetry()),
        Map.entry(Topics.ENGINE_REQUESTS, requestEvent()),
        Map.entry(Topics.ENGINE_REGISTRY, engineDescriptor()),
        Map.entry(Topics.REQUESTS_INBOUND, inferenceRequest()),
        Map.entry(Topics.REQUESTS_ROUTED, routedRequest()),
        Map.entry(Topics.ROUTING_DECISIONS, routingDecision()),
        Map.entry(Topics.MODELS, performanceModel()),
        Map.entry(Topics.CONTROL_LENS, lensHint()),
        Map.entry(Topics.SLO_WINDOWS, sloWindow()),
        Map.entry(Topics.DEAD_LETTERS, deadLetter()),
        Map.entry(Topics.RESPONSES, responseChunk()),
        Map.entry(Topics.REQUESTS_CANCEL, requestCancel()));
  }
}
