package io.synergysched.schemas;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every Kafka topic SynergySched uses, with its key and value contract, in one place.
 *
 * <p>Keys are UTF-8 strings (engine id or request id); values are the Avro records named here.
 */
public final class Topics {

  /** Per-step engine telemetry; key engineId. */
  public static final TopicSpec<StepTelemetry> ENGINE_STEPS =
      new TopicSpec<>("synergy.engine.steps", StepTelemetry.class, false);
  /** Request lifecycle events on engines; key engineId. */
  public static final TopicSpec<RequestEvent> ENGINE_REQUESTS =
      new TopicSpec<>("synergy.engine.requests", RequestEvent.class, false);
  /** What each engine is, plus heartbeats; key engineId; compacted. */
  public static final TopicSpec<EngineDescriptor> ENGINE_REGISTRY =
      new TopicSpec<>("synergy.engine.registry", EngineDescriptor.class, true);
  /** Requests entering the cluster; key requestId. */
  public static final TopicSpec<InferenceRequest> REQUESTS_INBOUND =
      new TopicSpec<>("synergy.requests.inbound", InferenceRequest.class, false);
  /** Requests sent to an engine; key engineId. */
  public static final TopicSpec<RoutedRequest> REQUESTS_ROUTED =
      new TopicSpec<>("synergy.requests.routed", RoutedRequest.class, false);
  /** Audit of every routing decision; key requestId. */
  public static final TopicSpec<RoutingDecision> ROUTING_DECISIONS =
      new TopicSpec<>("synergy.routing.decisions", RoutingDecision.class, false);
  /** Performance-model snapshots; key engineId; compacted. */
  public static final TopicSpec<PerformanceModel> MODELS =
      new TopicSpec<>("synergy.models", PerformanceModel.class, true);
  /** LENS hints for engines; key engineId; compacted. */
  public static final TopicSpec<LensHint> CONTROL_LENS =
      new TopicSpec<>("synergy.control.lens", LensHint.class, true);
  /** SLO attainment windows; key engineId. */
  public static final TopicSpec<SloWindow> SLO_WINDOWS =
      new TopicSpec<>("synergy.slo.windows", SloWindow.class, false);
  /** Records that could not be processed; key is the original key. */
  public static final TopicSpec<DeadLetter> DEAD_LETTERS =
      new TopicSpec<>("synergy.dlq", DeadLetter.class, false);
  /**
   * Answers to requests with a payload (the default reply topic; a request's {@code replyTo} may
   * name another); key requestId.
   */
  public static final TopicSpec<InferenceResponse> RESPONSES =
      new TopicSpec<>("synergy.responses", InferenceResponse.class, false);
  /** Callers giving up on requests; key requestId. */
  public static final TopicSpec<RequestCancel> REQUESTS_CANCEL =
      new TopicSpec<>("synergy.requests.cancel", RequestCancel.class, false);

  /** All topics, in the order of the design's topic table. */
  public static final List<TopicSpec<?>> ALL =
      List.of(
          ENGINE_STEPS,
          ENGINE_REQUESTS,
          ENGINE_REGISTRY,
          REQUESTS_INBOUND,
          REQUESTS_ROUTED,
          ROUTING_DECISIONS,
          MODELS,
          CONTROL_LENS,
          SLO_WINDOWS,
          DEAD_LETTERS,
          RESPONSES,
          REQUESTS_CANCEL);

  private Topics() {}

  /**
   * A topic's name and value type.
   *
   * @param name topic name
   * @param valueType generated Avro class of the values
   * @param compacted true for topics that keep the latest value per key (cleanup.policy=compact)
   */
  public record TopicSpec<T extends SpecificRecord>(
      String name, Class<T> valueType, boolean compacted) {}
}
