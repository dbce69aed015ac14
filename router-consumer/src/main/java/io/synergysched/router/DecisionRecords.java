package io.synergysched.router;

import io.synergysched.core.routing.DecisionTrace;
import io.synergysched.core.routing.EngineEligibility;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.Router;
import io.synergysched.schemas.CandidateScore;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.runtime.responses.ErrorAnswers;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.InferenceResponse;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records a routing decision writes: the routed request for the chosen engine (none when the
 * request is shed), the decision's audit record, with every engine's candidacy and score from
 * the router's trace, and, for a shed request that carries a payload, its answer: one error
 * {@code FINAL} on its reply topic (429 shed, 404 model not found, 400 context too long). Decision ids are {@code <instance>-<start ms>-<sequence>}, unique across
 * the instances and restarts of a deployment. Not thread-safe: used by the routing thread only.
 */
final class DecisionRecords {

  /**
   * What one decision writes; {@code routed} is null when the request was shed, {@code answer}
   * (and its {@code replyTopic}) null unless a shed request is answered ({@link
   * ErrorAnswers#answered}).
   */
  record Decision(RoutedRequest routed, RoutingDecision audit, InferenceResponse answer,
      String replyTopic) {}

  private final String idPrefix;
  private final AvroRecordCodec<RoutedRequest> routedCodec;
  private final AvroRecordCodec<RoutingDecision> decisionCodec;
  private final AvroRecordCodec<InferenceResponse> answerCodec;
  private long sequence;

  /**
   * @param instanceId the router instance's id
   * @param startedAtMs when the instance started (epoch ms)
   * @param registry schema registry client, or null for single-object encoding
   */
  DecisionRecords(String instanceId, long startedAtMs, SchemaRegistryClient registry) {
    this.idPrefix = instanceId + "-" + startedAtMs + "-";
    this.routedCodec = new AvroRecordCodec<>(RoutedRequest.class, registry);
    this.decisionCodec = new AvroRecordCodec<>(RoutingDecision.class, registry);
    this.answerCodec = new AvroRecordCodec<>(InferenceResponse.class, registry);
  }

  /**
   * @param chosen index into {@code engines} of the chosen engine, {@link Router#SHED}, or
   *     {@link Router#HOLD} (this consumer keeps no held queue: a held request is shed, its reason
   *     saying so)
   * @param trace the router's trace of this decision, or null when it keeps none (or was not
   *     asked: the request was refused before routing)
   * @param eligibility which engines the request may use at all; its refusal, when set, is the
   *     reason of the shed
   * @param policy the router's name, as the records name the policy
   * @param decidedAtMs when (epoch ms)
   * @param snapshotAgeMs age of the trainer snapshot the engines' loads came from (ms), -1 for none
   * @param latencyNanos how long the decision took (ns)
   */
  Decision decide(InferenceRequest request, int chosen, DecisionTrace trace,
      EngineEligibility.Result eligibility, String policy, long decidedAtMs, long snapshotAgeMs,
      long latencyNanos) {
    List<? extends EngineView> engines = eligibility.engines();
    String[] excludedBy = eligibility.excludedBy();
    String decisionId = idPrefix + (++sequence);
    List<CandidateScore> candidates = new ArrayList<>(engines.size());
    for (int k = 0; k < engines.size(); k++) {
      String removedBy = excludedBy != null && excludedBy[k] != null ? excludedBy[k]
          : trace == null ? null : trace.removedBy()[k];
      double score = trace == null ? Double.NaN : trace.scores()[k];
      // setters, not a builder: a builder deep-copies every default, per engine per request
      CandidateScore candidate = new CandidateScore();
      candidate.setEngineId(engines.get(k).engineId());
      candidate.setFeasible(removedBy == null);
      candidate.setFilteredBy(removedBy);
      candidate.setScore(Double.isNaN(score) ? 0.0 : score);
      candidate.setModelVersion(-1L);
      candidates.add(candidate);
    }
    RoutingDecision.Builder audit = RoutingDecision.newBuilder()
        .setDecisionId(decisionId)
        .setRequestId(request.getRequestId())
        .setPolicy(policy)
        .setDecidedAtMs(decidedAtMs)
        .setSnapshotAgeMs(snapshotAgeMs)
        .setDecisionLatencyUs(latencyNanos / 1000)
        .setCandidates(candidates);
    if (eligibility.refusal() != null) {
      audit.setOutcome(DecisionOutcome.SHED).setReason(eligibility.refusal());
      ErrorAnswers.Kind kind = EngineEligibility.OTHER_MODEL.equals(eligibility.refusedFor())
          ? ErrorAnswers.Kind.MODEL_NOT_FOUND : ErrorAnswers.Kind.CONTEXT_LENGTH_EXCEEDED;
      return shed(request, audit.build(), kind, decidedAtMs);
    }
    if (chosen == Router.SHED || chosen == Router.HOLD) {
      String why = trace != null && trace.shedReason() != null
          ? "no feasible engine: " + trace.shedReason()
          : "predicted to miss its SLO on every engine";
      audit.setOutcome(DecisionOutcome.SHED)
          .setReason(chosen == Router.HOLD ? "held, and this router keeps no held queue: " + why : why);
      return shed(request, audit.build(), ErrorAnswers.Kind.SHED, decidedAtMs);
    }
    String engineId = engines.get(chosen).engineId();
    audit.setOutcome(DecisionOutcome.ROUTED).setChosenEngineId(engineId);
    RoutedRequest routed = RoutedRequest.newBuilder()
        .setEngineId(engineId)
        .setDecisionId(decisionId)
        .setRoutedAtMs(decidedAtMs)
        .setPolicy(policy)
        .setRequest(request)
        .build();
    return new Decision(routed, audit.build(), null, null);
  }

  private static Decision shed(InferenceRequest request, RoutingDecision audit,
      ErrorAnswers.Kind kind, long decidedAtMs) {
    if (!ErrorAnswers.answered(request)) {
      return new Decision(null, audit, null, null);
    }
    return new Decision(null, audit,
        ErrorAnswers.finalError(request, 0, kind, audit.getReason(), null, decidedAtMs),
        ErrorAnswers.replyTopic(request));
  }

  /**
   * The error answer of a request whose payload is malformed ({@code problem}), for its reply
   * topic; the request itself is dead-lettered, so no decision is recorded for it.
   */
  ProducerRecord<String, byte[]> invalidRequestAnswer(InferenceRequest request, String problem,
      long nowMs) {
    return answerRecord(ErrorAnswers.finalError(
        request, 0, ErrorAnswers.Kind.INVALID_REQUEST, problem, null, nowMs),
        ErrorAnswers.replyTopic(request));
  }

  private ProducerRecord<String, byte[]> answerRecord(InferenceResponse answer, String topic) {
    return new ProducerRecord<>(topic, answer.getRequestId(), answerCodec.encode(topic + "-value", answer));
  }

  /**
   * Appends the decision's records to a transaction's output: the routed request keyed by its
   * engine, then the audit record keyed by the request id, then the answer of a shed request
   * keyed by the request id on its reply topic.
   */
  void appendTo(List<ProducerRecord<String, byte[]>> out, Decision decision) {
    if (decision.routed() != null) {
      out.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), decision.routed().getEngineId(),
          routedCodec.encode(Topics.REQUESTS_ROUTED.name() + "-value", decision.routed())));
    }
    out.add(new ProducerRecord<>(Topics.ROUTING_DECISIONS.name(), decision.audit().getRequestId(),
        decisionCodec.encode(Topics.ROUTING_DECISIONS.name() + "-value", decision.audit())));
    if (decision.answer() != null) {
      out.add(answerRecord(decision.answer(), decision.replyTopic()));
    }
  }
}
