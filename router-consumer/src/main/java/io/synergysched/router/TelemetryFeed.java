package io.synergysched.router;

import io.synergysched.core.routing.Router;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.runtime.mapping.TelemetryMapping;
import io.synergysched.runtime.records.EngineDescriptorRules;
import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.runtime.records.RequestEventRules;
import io.synergysched.runtime.records.StepTelemetryRules;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SchemaRegistryUnavailableException;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a router instance hears from the engines: the registry from its start (every engine that
 * ever registered) into the {@link EngineRoster}, and the steps and request events from now on
 * into the {@link Router}, as the simulator gives them after its telemetry delay. Reads without a
 * consumer group: every instance needs all of it.
 *
 * <p>Telemetry is input from outside: a record that cannot be decoded, breaks its type's rules
 * (the ones the model-trainer dead-letters by), or names an engine the registry never described is
 * skipped, and nothing in one record can stop the router. A record whose schema the registry
 * could not be asked about is not skipped: its partition is held and it is read again after a
 * backoff ({@link RegistryHold}). Not thread-safe: used by the routing
 * thread only, except {@link #wakeup()} and {@link #skipped()}.
 */
final class TelemetryFeed {

  private static final Logger LOG = LoggerFactory.getLogger(TelemetryFeed.class);
  /** Polls per {@link #read}: enough to catch up with ten thousand events a second. */
  static final int POLLS_PER_READ = 20;

  private final Consumer<String, byte[]> consumer;
  private final EngineRoster roster;
  private final Router router;
  private final RequestIds requestIds;
  private final LongSupplier clock;
  private final String instanceId;
  private final AvroRecordCodec<StepTelemetry> steps;
  private final AvroRecordCodec<RequestEvent> events;
  private final AvroRecordCodec<EngineDescriptor> descriptors;
  private final AtomicLong skipped = new AtomicLong();
  private final RegistryHold hold = new RegistryHold("router-consumer/telemetry");

  /**
   * @param consumer a consumer without a group or subscription, owned by the feed from now on
   * @param registry schema registry client, or null (records in either framing decode anyway)
   * @param clock the router's clock (epoch ms): when a registry entry was received
   * @param instanceId the router instance's id, for the log
   */
  TelemetryFeed(Consumer<String, byte[]> consumer, SchemaRegistryClient registry, EngineRoster roster,
      Router router, RequestIds requestIds, LongSupplier clock, String instanceId) {
    this.consumer = consumer;
    this.roster = roster;
    this.router = router;
    this.requestIds = requestIds;
    this.clock = clock;
    this.instanceId = instanceId;
    this.steps = new AvroRecordCodec<>(StepTelemetry.class, registry);
    this.events = new AvroRecordCodec<>(RequestEvent.class, registry);
    this.descriptors = new AvroRecordCodec<>(EngineDescriptor.class, registry);
  }

  /** Assigns the registry from its start and the steps and request events from their end. */
  void assign() {
    List<TopicPartition> registry = partitions(Topics.ENGINE_REGISTRY.name());
    List<TopicPartition> live = new ArrayList<>(partitions(Topics.ENGINE_STEPS.name()));
    live.addAll(partitions(Topics.ENGINE_REQUESTS.name()));
    List<TopicPartition> all = new ArrayList<>(registry);
    all.addAll(live);
    consumer.assign(all);
    consumer.seekToBeginning(registry);
    consumer.seekToEnd(live);
  }

  private List<TopicPartition> partitions(String topic) {
    List<TopicPartition> list = new ArrayList<>();
    consumer.partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(info -> list.add(new TopicPartition(topic, info.partition())));
    return list;
  }

  /**
   * Reads what arrived, until caught up (at most {@value #POLLS_PER_READ} polls): under heavy
   * load the request events come by the ten thousand a second, and heartbeats read late would
   * make live engines look dead.
   *
   * @param timeout how long the first poll may wait
   */
  void read(Duration timeout) {
    ConsumerRecords<String, byte[]> records = hold.poll(consumer, timeout);
    for (int polls = 1; ; polls++) {
      apply(records);
      if (records.isEmpty() || polls == POLLS_PER_READ) {
        return;
      }
      records = consumer.poll(Duration.ZERO);
    }
  }

  /** Applies polled records in order; holds a partition whose record's schema the registry did not give. */
  void apply(ConsumerRecords<String, byte[]> records) {
    hold.each(consumer, records, this::apply);
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null) {
      return;
    }
    try {
      if (r.topic().equals(Topics.ENGINE_REGISTRY.name())) {
        applyRegistry(r);
        return;
      }
      int index = roster.describedIndexOf(r.key());
      if (index < 0 || r.value() == null) {
        return; // not an engine of this cluster (yet), or a tombstone where none belongs
      }
      if (r.topic().equals(Topics.ENGINE_STEPS.name())) {
        applyStep(r, index);
      } else {
        applyEvent(r, index);
      }
    } catch (UndecodableRecordException e) {
      skip(r, e.getMessage());
    } catch (SchemaRegistryUnavailableException e) {
      throw e; // held, read again
    } catch (RuntimeException e) {
      // a record the rules let through and the router could not use: skip it, keep routing
      skip(r, e.toString());
    }
  }

  private void applyRegistry(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      roster.retire(r.key());
      return;
    }
    EngineDescriptor descriptor = descriptors.decodeValue(r);
    String problem = EngineDescriptorRules.problem(r.key(), descriptor);
    if (problem != null) {
      skip(r, problem);
    } else {
      roster.describe(r.key(), descriptor, clock.getAsLong());
    }
  }

  private void applyStep(ConsumerRecord<String, byte[]> r, int index) {
    StepObservation step = TelemetryMapping.toObservation(steps.decodeValue(r));
    String problem = StepTelemetryRules.problem(r.key(), step);
    if (problem != null) {
      skip(r, problem);
      return;
    }
    router.onStepVisible(index, step);
  }

  private void applyEvent(ConsumerRecord<String, byte[]> r, int index) {
    RequestEvent event = events.decodeValue(r);
    String problem = RequestEventRules.problem(r.key(), event);
    if (problem != null) {
      skip(r, problem);
      return;
    }
    RequestObservation core = TelemetryMapping.toObservation(event, requestIds.of(event.getRequestId()));
    router.onRequestEventVisible(index, core);
    if (core.type() == RequestPhase.FIRST_TOKEN
        || core.type() == RequestPhase.FINISHED
        || core.type() == RequestPhase.REJECTED) {
      // no proxy sits in the response path here: the engine's events are the responses
      router.onResponse(index, core);
    }
  }

  private void skip(ConsumerRecord<String, byte[]> r, String why) {
    long n = skipped.incrementAndGet();
    if (n <= 20 || n % 1000 == 0) {
      LOG.warn("router {} skips telemetry {}-{}@{} ({} so far): {}", instanceId,
          r.topic(), r.partition(), r.offset(), n, why);
    }
  }

  /** Times a telemetry partition was held for the schema registry; any thread. */
  long registryHolds() {
    return hold.holds();
  }

  /** Records skipped as undecodable or breaking their type's rules; any thread. */
  long skipped() {
    return skipped.get();
  }

  /** Makes a poll under way return; any thread. */
  void wakeup() {
    consumer.wakeup();
  }

  void close(Duration timeout) {
    consumer.close(timeout);
  }
}
