package io.synergysched.connector;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.runtime.mapping.LensHintMapping;
import io.synergysched.runtime.records.CheckedRecordReader;
import io.synergysched.runtime.records.LensHintRules;
import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted LENS control topic and hands each hint to the engine it is for.
 *
 * <p>Every connector process reads every partition of the topic from its start, without a consumer
 * group (the topic holds one hint per engine, so the read is short) and keeps the records keyed by
 * its own engines. A hint that has already expired on arrival (history of a compacted topic) is
 * skipped; a tombstone returns the engine to its defaults. A record for one of its engines that
 * cannot be decoded, breaks a hint's invariants or names another engine than its key is
 * dead-lettered with the reason, once; one whose schema the registry could not be asked about is
 * read again after a backoff ({@link RegistryHold}).
 */
final class LensHintReader implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(LensHintReader.class);
  static final String STAGE = "engine-connector/read-lens-hint";

  private final KafkaConsumer<String, byte[]> consumer;
  private final CheckedRecordReader<LensHint, LensPlan> reader;
  private final Function<String, EngineBackend> engines;
  private final KafkaEventPublisher publisher;
  private final LongSupplier clock;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final RegistryHold hold = new RegistryHold("engine-connector/lens-hints");
  private volatile boolean running = true;
  private volatile boolean reading;

  LensHintReader(Properties consumerSettings, SchemaRegistryClient registry,
      Function<String, EngineBackend> engines, KafkaEventPublisher publisher, LongSupplier clock) {
    Properties props = new Properties();
    props.putAll(consumerSettings);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.reader = CheckedRecordReader.converting(new AvroRecordCodec<>(LensHint.class, registry),
        STAGE, "LENS hint", LensHintMapping::toCore, LensHintRules::problem, clock);
    this.engines = engines;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions = List.of();
      while (running && partitions.isEmpty()) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.CONTROL_LENS.name(), Duration.ofSeconds(5));
        partitions = infos == null ? List.of()
            : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
          Thread.sleep(500); // the model-trainer creates the topic
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      reading = true;
      while (running) {
        hold.each(consumer, hold.poll(consumer, Duration.ofMillis(200)), this::handle);
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("LENS hint reader stopped; engines fall back to their defaults when their hints expire", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  void handle(ConsumerRecord<String, byte[]> record) {
    EngineBackend engine = record.key() == null ? null : engines.apply(record.key());
    if (engine == null) {
      return; // another process's engine
    }
    if (record.value() == null) {
      engine.applyHint(null); // the planner retired the hint
      return;
    }
    LensPlan hint = reader.read(record, (key, letter) -> {
      deadLettered.incrementAndGet();
      LOG.warn("dead-lettering LENS hint at {}-{}@{}: {}", letter.getSourceTopic(),
          letter.getSourcePartition(), letter.getSourceOffset(), letter.getError());
      publisher.deadLetter(key, letter);
    });
    if (hint == null) {
      return;
    }
    if (!hint.isValidAt(clock.getAsLong()) || !engine.applyHint(hint)) {
      ignored.incrementAndGet();
      return;
    }
    applied.incrementAndGet();
  }

  /** True once the reader is assigned the control topic's partitions. */
  boolean isReading() {
    return reading;
  }

  /** Hints an engine took. */
  long applied() {
    return applied.get();
  }

  /** Hints for own engines not taken: expired on arrival, older than held, or engine cannot steer. */
  long ignored() {
    return ignored.get();
  }

  long deadLettered() {
    return deadLettered.get();
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }
}
