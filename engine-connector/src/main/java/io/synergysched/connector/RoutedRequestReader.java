package io.synergysched.connector;

import io.synergysched.runtime.records.CheckedRecordReader;
import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.runtime.records.RoutedRequestRules;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the routed-requests topic and hands each request to the engine it was routed to.
 *
 * <p>Assignment is stable by construction: every connector process reads the whole topic in a
 * consumer group of its own and keeps the records keyed by its own engines, so a request reaches
 * the process that runs its engine whatever the partition layout. Offsets are committed after the
 * requests are handed over; a request seen again after a restart of the reader (same process) is
 * recognised by its id and not served twice. A record that cannot be decoded or breaks {@link
 * RoutedRequestRules} (the router's rules for the request inside, and the engine key) is
 * dead-lettered with the reason, once, and never retried. A record whose schema the registry could
 * not be asked about is kept: its partition is held, read again after a backoff, and no offset
 * past it is committed ({@link RegistryHold}).
 *
 * <p>Before it serves anything, the reader recovers what a previous run of the same connector id
 * left in flight ({@link InFlightRecovery}): requests handed to an engine (below the group's
 * committed offset) without a FINISHED or REJECTED event are failed over or reported REJECTED,
 * and requests past the committed offset that already ended are not served again.
 */
final class RoutedRequestReader implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(RoutedRequestReader.class);
  static final String STAGE = "engine-connector/read-routed-request";
  private static final int REMEMBERED_IDS = 200_000;

  private final KafkaConsumer<String, byte[]> consumer;
  private final CheckedRecordReader<RoutedRequest, RoutedRequest> reader;
  private final java.util.function.Function<String, EngineBackend> engines;
  private final KafkaEventPublisher publisher;
  private final LongSupplier clock;
  private final Map<String, Boolean> seen =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_IDS;
        }
      };
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final RegistryHold hold = new RegistryHold("engine-connector/routed-requests");
  private final Properties consumerSettings;
  private final SchemaRegistryClient registry;
  private final java.util.Set<String> engineIds;
  private final EngineConnectorConfig.Recovery recovery;
  private final Duration lookback;
  private volatile InFlightRecovery.Result recovered;
  private volatile boolean running = true;
  private volatile boolean crashed;
  private volatile boolean assigned;

  RoutedRequestReader(
      Properties consumerSettings, String groupId, SchemaRegistryClient registry,
      java.util.function.Function<String, EngineBackend> engines, KafkaEventPublisher publisher,
      LongSupplier clock, java.util.Set<String> engineIds, EngineConnectorConfig.Recovery recovery,
      Duration lookback) {
    this.consumerSettings = consumerSettings;
    this.registry = registry;
    this.engineIds = java.util.Set.copyOf(engineIds);
    this.recovery = recovery;
    this.lookback = lookback;
    Properties props = new Properties();
    props.putAll(consumerSettings);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // A new connector reads the topic from its start, so nothing routed before it joined is lost;
    // set kafka.auto.offset.reset=latest to skip a long history.
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.reader = CheckedRecordReader.checking(new AvroRecordCodec<>(RoutedRequest.class, registry),
        STAGE, RoutedRequestRules::problem, clock);
    this.engines = engines;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      recover();
      consumer.subscribe(List.of(Topics.REQUESTS_ROUTED.name()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          hold.revoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          hold.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          assigned = true;
        }
      });
      while (running) {
        ConsumerRecords<String, byte[]> records = hold.poll(consumer, Duration.ofMillis(200));
        Map<TopicPartition, OffsetAndMetadata> handled = hold.each(consumer, records, this::handle);
        if (!handled.isEmpty() && !crashed) {
          consumer.commitSync(handled);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("routed-request reader stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Finds the requests a previous run of this connector handed to its engines and never ended,
   * and fails them over or reports them, before the reader serves anything; marks the requests
   * past the committed offset that already ended as seen. A recovery that fails is logged (its
   * requests then stay without an end event) and the reader serves on.
   */
  private void recover() {
    if (recovery == EngineConnectorConfig.Recovery.OFF) {
      return;
    }
    try {
      java.util.Set<TopicPartition> partitions = new java.util.HashSet<>();
      consumer.partitionsFor(Topics.REQUESTS_ROUTED.name(), Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      Map<Integer, Long> committed = new java.util.HashMap<>();
      consumer.committed(partitions, Duration.ofSeconds(30)).forEach((tp, at) -> {
        if (at != null) {
          committed.put(tp.partition(), at.offset());
        }
      });
      if (committed.isEmpty()) {
        return; // no previous run of this connector id read anything
      }
      InFlightRecovery.Result result = new InFlightRecovery(consumerSettings, registry)
          .scan(engineIds, committed, clock.getAsLong() - lookback.toMillis());
      result.endedAhead().forEach(id -> seen.put(id, Boolean.TRUE));
      for (RoutedRequest request : result.inFlight()) {
        seen.put(request.getRequest().getRequestId(), Boolean.TRUE);
        EngineBackend engine = engines.apply(request.getEngineId());
        if (recovery == EngineConnectorConfig.Recovery.FAILOVER && engine != null) {
          engine.submit(request);
        } else {
          publisher.onRequestEvent(rejected(request, clock.getAsLong()));
        }
      }
      recovered = result;
      LOG.info("recovered {} in-flight requests of a previous run ({}) in {} ms; {} routed to its"
          + " engines in the last {} ms, {} of them ended", result.inFlight().size(), recovery,
          result.tookMs(), result.routedScanned(), lookback.toMillis(), result.endedSeen());
    } catch (RuntimeException e) {
      if (e instanceof WakeupException) {
        throw e;
      }
      LOG.error("could not recover the in-flight requests of a previous run", e);
    }
  }

  /** The REJECTED event {@link EngineConnectorConfig.Recovery#REJECT} reports for a request. */
  static RequestEvent rejected(RoutedRequest routed, long nowMs) {
    InferenceRequest r = routed.getRequest();
    return RequestEvent.newBuilder()
        .setEngineId(routed.getEngineId())
        .setRequestId(r.getRequestId())
        .setType(RequestEventType.REJECTED)
        .setEventTimeMs(nowMs)
        .setArrivalTimeMs(r.getArrivalTimeMs())
        .setPromptTokens(r.getPromptTokens())
        .setOutputTokens(0)
        .setSloTtftMs(r.getSloTtftMs())
        .setSloTpotMs(r.getSloTpotMs())
        .setReason(EngineConnectorConfig.Recovery.REJECT_REASON)
        .build();
  }

  /** What the start-up recovery found and did, or null before it ran (or when nothing was to do). */
  InFlightRecovery.Result recovered() {
    return recovered;
  }

  void handle(ConsumerRecord<String, byte[]> record) {
    EngineBackend engine = record.key() == null ? null : engines.apply(record.key());
    if (engine == null) {
      return; // another process's engine
    }
    RoutedRequest routed = reader.read(record, (key, letter) -> {
      deadLettered.incrementAndGet();
      publisher.deadLetter(key, letter);
    });
    if (routed == null) {
      return;
    }
    if (seen.put(routed.getRequest().getRequestId(), Boolean.TRUE) != null) {
      duplicates.incrementAndGet();
      return;
    }
    try {
      engine.submit(routed);
      delivered.incrementAndGet();
    } catch (RuntimeException e) {
      // a backend must report refusals as REJECTED events; one that throws still loses nothing
      deadLetter(record, "engine " + engine.engineId() + " could not take the request: " + e, e);
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
    deadLettered.incrementAndGet();
    publisher.deadLetter(record, STAGE, reason, cause, clock.getAsLong());
  }

  /** True once the reader has its partitions: routed requests from now on reach the engines. */
  boolean isReading() {
    return assigned;
  }

  long delivered() {
    return delivered.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long deadLettered() {
    return deadLettered.get();
  }

  /** Times a partition was held because the schema registry did not answer. */
  long registryHolds() {
    return hold.holds();
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Stops like a killed process: no offset committed from now on. */
  void crash() {
    crashed = true;
    stop();
  }
}
