package io.synergysched.connector;

import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.runtime.records.RoutedRequestRules;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what a restarting engine-connector needs to find its engines' unfinished work: the routed
 * records of its engines and their request events over a bounded look-back window, then decides
 * with {@link InFlightSelection}. Reads with a consumer of no group (assign and seek), so the
 * routed-request reader's group and its committed offsets are untouched.
 */
final class InFlightRecovery {

  /**
   * What the scan found.
   *
   * @param inFlight requests a previous run handed to an engine and never ended, to fail over or report
   * @param endedAhead ids at or past the committed offset that already ended (the reader skips them)
   * @param routedScanned routed records of this connector's engines in the window
   * @param endedSeen of those, requests with a terminal event
   * @param tookMs how long the scan took
   */
  record Result(List<RoutedRequest> inFlight, Set<String> endedAhead, long routedScanned,
      long endedSeen, long tookMs) {}

  private static final Duration READ_LIMIT = Duration.ofMinutes(2);

  private final Properties settings;
  private final AvroRecordCodec<RoutedRequest> routedCodec;
  private final AvroRecordCodec<RequestEvent> eventCodec;

  InFlightRecovery(Properties consumerSettings, SchemaRegistryClient registry) {
    Properties props = new Properties();
    props.putAll(consumerSettings);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    this.settings = props;
    this.routedCodec = new AvroRecordCodec<>(RoutedRequest.class, registry);
    this.eventCodec = new AvroRecordCodec<>(RequestEvent.class, registry);
  }

  /**
   * @param engines this connector's engine ids (the key of their records on both topics)
   * @param committed the reader group's committed offset per routed partition (absent: none)
   * @param sinceMs the window's start: records with an earlier timestamp are not read
   */
  Result scan(Set<String> engines, Map<Integer, Long> committed, long sinceMs) {
    long start = System.nanoTime();
    List<InFlightSelection.Routed> routed = new ArrayList<>();
    Map<String, RoutedRequest> handedOver = new HashMap<>();
    Set<String> routedIds = new HashSet<>();
    Set<String> ended = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
      read(consumer, Topics.REQUESTS_ROUTED.name(), sinceMs, record -> {
        if (record.key() == null || !engines.contains(record.key())) {
          return;
        }
        RoutedRequest request = decode(routedCodec, record);
        if (request == null || RoutedRequestRules.problem(record.key(), request) != null) {
          return; // dead-lettered by the reader when it read the record, never served
        }
        String id = request.getRequest().getRequestId();
        routed.add(new InFlightSelection.Routed(id, record.partition(), record.offset()));
        routedIds.add(id);
        Long next = committed.get(record.partition());
        if (next != null && record.offset() < next) {
          handedOver.putIfAbsent(id, request);
        }
      });
      read(consumer, Topics.ENGINE_REQUESTS.name(), sinceMs, record -> {
        if (record.key() == null || !engines.contains(record.key())) {
          return;
        }
        RequestEvent event = decode(eventCodec, record);
        if (event != null && routedIds.contains(event.getRequestId())
            && (event.getType() == RequestEventType.FINISHED
                || event.getType() == RequestEventType.REJECTED)) {
          ended.add(event.getRequestId());
        }
      });
    }
    InFlightSelection.Plan plan = InFlightSelection.select(routed, committed, ended);
    List<RoutedRequest> inFlight = plan.inFlight().stream().map(handedOver::get).toList();
    return new Result(inFlight, plan.endedAhead(), routed.size(), ended.size(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T decode(
      AvroRecordCodec<T> codec, ConsumerRecord<String, byte[]> record) {
    try {
      // a registry that does not answer is waited for (within the scan's own limit), not taken
      // for an undecodable record: that would leave the request's end or hand-over unseen
      return record.value() == null ? null
          : RegistryHold.retrying("engine-connector/in-flight-recovery", READ_LIMIT,
              () -> codec.decodeValue(record));
    } catch (UndecodableRecordException e) {
      return null;
    }
  }

  /** Reads {@code topic} from the first record at or after {@code sinceMs} to its end as of now. */
  private static void read(KafkaConsumer<String, byte[]> consumer, String topic, long sinceMs,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_LIMIT).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(tp -> times.put(tp, sinceMs));
    Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times, READ_LIMIT);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_LIMIT);
    consumer.assign(partitions);
    Set<TopicPartition> open = new HashSet<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp at = from.get(tp);
      long first = at == null ? end.get(tp) : at.offset();
      if (first < end.get(tp)) {
        consumer.seek(tp, first);
        open.add(tp);
      }
    }
    consumer.pause(new HashSet<>(partitions));
    consumer.resume(open);
    long deadline = System.nanoTime() + READ_LIMIT.toNanos();
    while (!open.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + topic + " to its end within "
            + READ_LIMIT.toSeconds() + " s");
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
          handler.accept(record);
        }
      }
      open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
    }
    consumer.unsubscribe();
  }
}
