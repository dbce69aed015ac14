package io.synergysched.router;

import static io.synergysched.router.HandBuiltRecords.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.synergysched.core.routing.DecisionTrace;
import io.synergysched.core.routing.EngineEligibility;
import io.synergysched.core.routing.Router;
import io.synergysched.schemas.CandidateScore;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.EndpointKind;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.InferenceResponse;
import io.synergysched.schemas.RequestPayload;
import io.synergysched.schemas.ResponseKind;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DecisionRecordsTest {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final long STARTED_AT = 1_700_000_000_000L;

  private final DecisionRecords records = new DecisionRecords("r1", STARTED_AT, NO_REGISTRY);
  private final List<LiveEngine> engines = List.of(new LiveEngine("e0"), new LiveEngine("e1"));
  private final EngineEligibility.Result everyEngine = EngineEligibility.of(engines, null, 100, 20);
  private final InferenceRequest request = InferenceRequest.newBuilder()
      .setRequestId("req-1").setArrivalTimeMs(NOW).setPromptTokens(100).setMaxOutputTokens(20)
      .setSloTtftMs(2_000).setSloTpotMs(200).build();

  @Test
  void shouldWriteTheRoutedRequestAndEveryCandidateWhenTheRouterChoseAnEngine() {
    DecisionTrace trace =
        new DecisionTrace(new String[] {null, "slo-feasibility"}, new double[] {0.8, Double.NaN}, null, Double.NaN);

    DecisionRecords.Decision d = records.decide(request, 0, trace, everyEngine, "prism", NOW, 250, 42_000);

    assertThat(d.routed().getEngineId()).isEqualTo("e0");
    assertThat(d.routed().getDecisionId()).isEqualTo("r1-" + STARTED_AT + "-1");
    assertThat(d.routed().getRoutedAtMs()).isEqualTo(NOW);
    assertThat(d.routed().getPolicy()).isEqualTo("prism");
    assertThat(d.routed().getRequest()).isEqualTo(request);
    RoutingDecision audit = d.audit();
    assertThat(audit.getDecisionId()).isEqualTo(d.routed().getDecisionId());
    assertThat(audit.getOutcome()).isEqualTo(DecisionOutcome.ROUTED);
    assertThat(audit.getChosenEngineId()).isEqualTo("e0");
    assertThat(audit.getReason()).isNull();
    assertThat(audit.getSnapshotAgeMs()).isEqualTo(250);
    assertThat(audit.getDecisionLatencyUs()).isEqualTo(42);
    assertThat(audit.getCandidates())
        .extracting(CandidateScore::getEngineId, CandidateScore::getFeasible,
            CandidateScore::getFilteredBy, CandidateScore::getScore, CandidateScore::getModelVersion)
        .containsExactly(
            tuple("e0", true, null, 0.8, -1L),
            tuple("e1", false, "slo-feasibility", 0.0, -1L));
  }

  @Test
  void shouldShedAHeldRequestSayingSoWhenTheRouterHeldIt() {
    DecisionTrace trace = new DecisionTrace(new String[] {"llumnix-ttft-feasibility", "llumnix-ttft-feasibility"},
        new double[] {Double.NaN, Double.NaN}, "llumnix-ttft-feasibility", NOW + 1_000);

    DecisionRecords.Decision held = records.decide(request, Router.HOLD, trace, everyEngine, "llumnix", NOW, -1, 0);

    assertThat(held.routed()).isNull();
    assertThat(held.audit().getOutcome()).isEqualTo(DecisionOutcome.SHED);
    assertThat(held.audit().getReason())
        .isEqualTo("held, and this router keeps no held queue: no feasible engine: llumnix-ttft-feasibility");
  }

  @Test
  void shouldShedWithWhatLeftNoCandidateWhenTheRouterShed() {
    DecisionTrace trace = new DecisionTrace(
        new String[] {"slo-feasibility", "unavailable"}, new double[] {Double.NaN, Double.NaN},
        "slo-feasibility", Double.NaN);

    DecisionRecords.Decision traced = records.decide(request, Router.SHED, trace, everyEngine, "prism", NOW, -1, 0);
    DecisionRecords.Decision untraced = records.decide(request, Router.SHED, null, everyEngine, "round-robin", NOW, -1, 0);

    assertThat(traced.routed()).isNull();
    assertThat(traced.audit().getOutcome()).isEqualTo(DecisionOutcome.SHED);
    assertThat(traced.audit().getReason()).isEqualTo("no feasible engine: slo-feasibility");
    assertThat(untraced.audit().getReason()).isEqualTo("predicted to miss its SLO on every engine");
    assertThat(untraced.audit().getCandidates()).extracting(CandidateScore::getFeasible)
        .as("without a trace no engine is marked removed").containsExactly(true, true);
    assertThat(untraced.audit().getDecisionId()).isEqualTo("r1-" + STARTED_AT + "-2");
  }

  @Test
  void shouldAppendTheRoutedRecordBeforeTheAuditWhenBothAreWritten() {
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    DecisionRecords.Decision routed = records.decide(request, 1, null, everyEngine, "prism", NOW, -1, 0);
    DecisionRecords.Decision shed = records.decide(request, Router.SHED, null, everyEngine, "prism", NOW, -1, 0);

    records.appendTo(out, routed);
    records.appendTo(out, shed);

    assertThat(out).extracting(ProducerRecord::topic, ProducerRecord::key).containsExactly(
        tuple(Topics.REQUESTS_ROUTED.name(), "e1"),
        tuple(Topics.ROUTING_DECISIONS.name(), "req-1"),
        tuple(Topics.ROUTING_DECISIONS.name(), "req-1"));
    var routedCodec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
    var decisionCodec = new AvroRecordCodec<>(RoutingDecision.class, NO_REGISTRY);
    assertThat(routedCodec.decode("t", 0, 0, out.get(0).value())).isEqualTo(routed.routed());
    assertThat(decisionCodec.decode("t", 0, 1, out.get(2).value())).isEqualTo(shed.audit());
  }

  @Test
  void shouldShedWithTheRefusalAndMarkTheExcludedEnginesWhenNoEngineServesTheRequest() {
    List<LiveEngine> described = List.of(new LiveEngine("e0"), new LiveEngine("e1"));
    described.get(0).describe(HandBuiltRecords.descriptor("e0").setModel("llama-2-7b").build(), NOW);
    described.get(1).describe(HandBuiltRecords.descriptor("e1").setModel("llama-2-70b").build(), NOW);
    described.forEach(e -> e.refresh(NOW, 1_000));
    InferenceRequest forAnother = InferenceRequest.newBuilder(request).setModel("mistral-7b").build();
    // the trace of the router's previous decision must not leak into a refusal
    DecisionTrace stale = new DecisionTrace(new String[] {null, null}, new double[] {1, 2}, null, Double.NaN);

    DecisionRecords.Decision d = records.decide(forAnother, Router.SHED, stale,
        EngineEligibility.of(described, "mistral-7b", 100, 20), "prism", NOW, -1, 0);

    assertThat(d.routed()).isNull();
    assertThat(d.audit().getOutcome()).isEqualTo(DecisionOutcome.SHED);
    assertThat(d.audit().getReason())
        .isEqualTo("no engine serves model 'mistral-7b' (the cluster serves [llama-2-70b, llama-2-7b])");
    assertThat(d.audit().getCandidates()).extracting(CandidateScore::getEngineId, CandidateScore::getFilteredBy)
        .containsExactly(tuple("e0", EngineEligibility.OTHER_MODEL), tuple("e1", EngineEligibility.OTHER_MODEL));
  }

  private final InferenceRequest withPayload = InferenceRequest.newBuilder(request)
      .setPayload(new RequestPayload(EndpointKind.CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
      .setReplyTo("gw-1.replies").setCorrelationId("c-9").build();

  private List<LiveEngine> described(String model0, String model1, int maxModelLen) {
    List<LiveEngine> engines = List.of(new LiveEngine("e0"), new LiveEngine("e1"));
    engines.get(0).describe(HandBuiltRecords.descriptor("e0").setModel(model0).setMaxModelLen(maxModelLen).build(), NOW);
    engines.get(1).describe(HandBuiltRecords.descriptor("e1").setModel(model1).setMaxModelLen(maxModelLen).build(), NOW);
    engines.forEach(e -> e.refresh(NOW, 1_000));
    return engines;
  }

  @Test
  void shouldAnswerAShedRequestWithAPayloadOnItsReplyTopicWhenTheRouterShedsIt() {
    DecisionTrace trace = new DecisionTrace(new String[] {"slo-feasibility", "slo-feasibility"},
        new double[] {Double.NaN, Double.NaN}, "slo-feasibility", Double.NaN);

    DecisionRecords.Decision d = records.decide(withPayload, Router.SHED, trace, everyEngine, "prism", NOW, -1, 0);
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    records.appendTo(out, d);

    assertThat(out).extracting(ProducerRecord::topic, ProducerRecord::key).containsExactly(
        tuple(Topics.ROUTING_DECISIONS.name(), "req-1"), tuple("gw-1.replies", "req-1"));
    InferenceResponse answer = new AvroRecordCodec<>(InferenceResponse.class, NO_REGISTRY)
        .decode("gw-1.replies", 0, 0, out.get(1).value());
    assertThat(answer).isEqualTo(d.answer());
    assertThat(answer.getKind()).isEqualTo(ResponseKind.FINAL);
    assertThat(answer.getSequence()).isZero();
    assertThat(answer.getCorrelationId()).isEqualTo("c-9");
    assertThat(answer.getError().getHttpStatus()).isEqualTo(429);
    assertThat(answer.getError().getCode()).isEqualTo("shed");
    assertThat(answer.getError().getMessage()).isEqualTo("no feasible engine: slo-feasibility");
  }

  @Test
  void shouldAnswerTheRefusalInOpenAisShapeWhenNoEngineServesTheModelOrTheLength() {
    InferenceRequest forAnother = InferenceRequest.newBuilder(withPayload).setModel("mistral-7b").build();
    DecisionRecords.Decision noModel = records.decide(forAnother, Router.SHED, null,
        EngineEligibility.of(described("llama-2-7b", "llama-2-7b", 4096), "mistral-7b", 100, 20),
        "prism", NOW, -1, 0);
    InferenceRequest tooLong = InferenceRequest.newBuilder(withPayload).setPromptTokens(5000).build();
    DecisionRecords.Decision noLength = records.decide(tooLong, Router.SHED, null,
        EngineEligibility.of(described("llama-2-7b", "llama-2-7b", 4096), null, 5000, 20),
        "prism", NOW, -1, 0);

    assertThat(noModel.answer().getError().getHttpStatus()).isEqualTo(404);
    assertThat(noModel.answer().getError().getCode()).isEqualTo("model_not_found");
    assertThat(noModel.answer().getError().getMessage()).startsWith("no engine serves model 'mistral-7b'");
    assertThat(noLength.answer().getError().getHttpStatus()).isEqualTo(400);
    assertThat(noLength.answer().getError().getCode()).isEqualTo("context_length_exceeded");
  }

  @Test
  void shouldAnswerNobodyWhenTheRequestIsATraceReplayOrWasRouted() {
    DecisionTrace trace = new DecisionTrace(new String[] {"slo-feasibility", "slo-feasibility"},
        new double[] {Double.NaN, Double.NaN}, "slo-feasibility", Double.NaN);

    assertThat(records.decide(request, Router.SHED, trace, everyEngine, "prism", NOW, -1, 0).answer()).isNull();
    assertThat(records.decide(withPayload, 1, null, everyEngine, "prism", NOW, -1, 0).answer()).isNull();
  }

  @Test
  void shouldAnswerAMalformedPayloadWithA400OnItsReplyTopic() {
    ProducerRecord<String, byte[]> r = records.invalidRequestAnswer(withPayload, "'messages' is a required property", NOW);

    assertThat(r.topic()).isEqualTo("gw-1.replies");
    assertThat(r.key()).isEqualTo("req-1");
    InferenceResponse answer = new AvroRecordCodec<>(InferenceResponse.class, NO_REGISTRY).decode("t", 0, 0, r.value());
    assertThat(answer.getError().getHttpStatus()).isEqualTo(400);
    assertThat(answer.getError().getType()).isEqualTo("invalid_request_error");
    assertThat(answer.getError().getMessage()).isEqualTo("'messages' is a required property");
  }
}
