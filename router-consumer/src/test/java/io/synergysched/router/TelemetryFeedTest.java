package io.synergysched.router;

import static io.synergysched.router.HandBuiltRecords.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What the router takes from the registry and telemetry topics, and what it skips; no broker. */
class TelemetryFeedTest {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final String REGISTRY = Topics.ENGINE_REGISTRY.name();
  private static final String STEPS = Topics.ENGINE_STEPS.name();
  private static final String EVENTS = Topics.ENGINE_REQUESTS.name();

  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
  private final EngineRoster roster = new EngineRoster();
  private final RecordingRouter router = new RecordingRouter();
  private final TelemetryFeed feed =
      new TelemetryFeed(consumer, NO_REGISTRY, roster, router, new RequestIds(), () -> NOW, "r1");
  private final AvroRecordCodec<EngineDescriptor> descriptors =
      new AvroRecordCodec<>(EngineDescriptor.class, NO_REGISTRY);
  private final AvroRecordCodec<StepTelemetry> steps = new AvroRecordCodec<>(StepTelemetry.class, NO_REGISTRY);
  private final AvroRecordCodec<RequestEvent> events = new AvroRecordCodec<>(RequestEvent.class, NO_REGISTRY);
  private long offset;

  private ConsumerRecord<String, byte[]> registry(String key, EngineDescriptor d) {
    return new ConsumerRecord<>(REGISTRY, 0, offset++, key, d == null ? null : descriptors.encode("s", d));
  }

  private ConsumerRecord<String, byte[]> step(String key, StepTelemetry step) {
    return new ConsumerRecord<>(STEPS, 0, offset++, key, steps.encode("s", step));
  }

  private ConsumerRecord<String, byte[]> event(String key, RequestEvent event) {
    return new ConsumerRecord<>(EVENTS, 0, offset++, key, events.encode("s", event));
  }

  @SafeVarargs
  private void apply(ConsumerRecord<String, byte[]>... records) {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>()).add(r);
    }
    feed.apply(new ConsumerRecords<>(byPartition, Map.of()));
  }

  @Test
  void shouldReadTheRegistryFromItsStartAndTheStepsFromTheirEndWhenAssigned() {
    for (String topic : List.of(REGISTRY, STEPS, EVENTS)) {
      consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
    }
    TopicPartition registryPartition = new TopicPartition(REGISTRY, 0);
    TopicPartition stepPartition = new TopicPartition(STEPS, 0);
    consumer.updateBeginningOffsets(Map.of(registryPartition, 0L, stepPartition, 0L,
        new TopicPartition(EVENTS, 0), 0L));
    consumer.updateEndOffsets(Map.of(registryPartition, 1L, stepPartition, 5L,
        new TopicPartition(EVENTS, 0), 0L));
    feed.assign();
    consumer.addRecord(new ConsumerRecord<>(REGISTRY, 0, 0, "e0",
        descriptors.encode("s", HandBuiltRecords.descriptor("e0").build())));
    feed.read(Duration.ZERO);
    consumer.addRecord(new ConsumerRecord<>(STEPS, 0, 4, "e0",
        steps.encode("s", HandBuiltRecords.stepTelemetry("e0", 1)))); // before the router started
    consumer.addRecord(new ConsumerRecord<>(STEPS, 0, 5, "e0",
        steps.encode("s", HandBuiltRecords.stepTelemetry("e0", 2))));

    feed.read(Duration.ZERO);

    assertThat(roster.describedIndexOf("e0")).isZero();
    assertThat(router.calls).containsExactly("step 0 #2");
  }

  @Test
  void shouldGiveTheRouterStepsEventsAndResponsesWhenTheyAreOfADescribedEngine() {
    apply(
        registry("e0", HandBuiltRecords.descriptor("e0").build()),
        registry("e1", HandBuiltRecords.descriptor("e1").build()),
        step("e1", HandBuiltRecords.stepTelemetry("e1", 3)),
        event("e1", HandBuiltRecords.event("e1", "r-a", RequestEventType.QUEUED)),
        event("e1", HandBuiltRecords.event("e1", "r-a", RequestEventType.FINISHED)),
        step("e7", HandBuiltRecords.stepTelemetry("e7", 1))); // never described: not this cluster's

    assertThat(router.calls).containsExactly(
        "step 1 #3", "event 1 QUEUED r1", "event 1 FINISHED r1", "response 1 FINISHED r1");
    assertThat(feed.skipped()).isZero();
  }

  @Test
  void shouldSkipAnEventAsImplausibleWhenItsTypeIsUnknownToThisVersion() {
    // the trainer dead-letters it (RequestEventRules); the router once counted it as QUEUED
    apply(
        registry("e0", HandBuiltRecords.descriptor("e0").build()),
        event("e0", HandBuiltRecords.event("e0", "r-a", RequestEventType.UNKNOWN)));

    assertThat(router.calls).isEmpty();
    assertThat(feed.skipped()).isEqualTo(1);
  }

  @Test
  void shouldSkipRecordsWhenTheyCannotBeDecodedOrBreakTheirRules() {
    apply(
        registry("e0", HandBuiltRecords.descriptor("e0").build()),
        registry("e1", HandBuiltRecords.descriptor("e1").setTensorParallel(0).build()),
        registry("e2", HandBuiltRecords.descriptor("e9").build()),
        step("e0", HandBuiltRecords.stepTelemetry("e5", 1)), // keyed by another engine
        new ConsumerRecord<>(STEPS, 0, offset++, "e0", "not avro".getBytes(StandardCharsets.UTF_8)),
        event("e0", HandBuiltRecords.event("e0", "r-a", RequestEventType.QUEUED)));

    assertThat(roster.engines()).extracting(LiveEngine::engineId).containsExactly("e0");
    assertThat(router.calls).containsExactly("event 0 QUEUED r1");
    assertThat(feed.skipped()).isEqualTo(4);
  }

  @Test
  void shouldRetireAnEngineWhenTheRegistryHoldsItsTombstone() {
    apply(registry("e0", HandBuiltRecords.descriptor("e0").build()), registry("e0", null));

    roster.refresh(NOW, 3_000);
    assertThat(roster.engine("e0").available()).isFalse();
    assertThat(feed.skipped()).isZero();
  }

  /** A router that notes each callback: kind, engine index, and what the record said. */
  private static final class RecordingRouter implements Router {
    final List<String> calls = new ArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public int route(RoutingRequest request, List<? extends EngineView> engines) {
      return SHED;
    }

    @Override
    public void onStepVisible(int engineIndex, StepObservation step) {
      calls.add("step " + engineIndex + " #" + step.stepIndex());
    }

    @Override
    public void onRequestEventVisible(int engineIndex, RequestObservation event) {
      calls.add("event " + engineIndex + " " + event.type() + " r" + event.requestId());
    }

    @Override
    public void onResponse(int engineIndex, RequestObservation event) {
      calls.add("response " + engineIndex + " " + event.type() + " r" + event.requestId());
    }
  }
}
