package io.synergysched.connector;

import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DeadLetterRecords;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the engines report: steps, request events, registry heartbeats and dead letters.
 * Engines never wait on Kafka: records are encoded on the caller's thread and queued in a bounded
 * buffer that one sender thread drains into the producer. When Kafka is unreachable the buffer
 * fills, and then the oldest record is dropped and counted ({@link #dropped()}), so the engines
 * keep serving and the newest telemetry survives. Thread-safe.
 */
public final class KafkaEventPublisher implements EngineEventSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);

  private final Producer<String, byte[]> producer;
  private final ArrayBlockingQueue<ProducerRecord<String, byte[]>> buffer;
  private final SpecificAvroSerde<StepTelemetry> steps;
  private final SpecificAvroSerde<RequestEvent> events;
  private final SpecificAvroSerde<EngineDescriptor> descriptors;
  private final SpecificAvroSerde<DeadLetter> deadLetters;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final Thread sender;
  private volatile boolean running = true;
  private volatile boolean crashed;

  /**
   * @param producerSettings Kafka producer settings (bootstrap servers and any client settings)
   * @param registry schema registry client, or null for single-object encoding
   * @param capacity records buffered while Kafka is slow or away, &gt; 0
   */
  public KafkaEventPublisher(Properties producerSettings, SchemaRegistryClient registry, int capacity) {
    Properties props = new Properties();
    props.putAll(producerSettings);
    props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.buffer = new ArrayBlockingQueue<>(capacity);
    this.steps = SpecificAvroSerde.forValues(StepTelemetry.class, registry);
    this.events = SpecificAvroSerde.forValues(RequestEvent.class, registry);
    this.descriptors = SpecificAvroSerde.forValues(EngineDescriptor.class, registry);
    this.deadLetters = SpecificAvroSerde.forValues(DeadLetter.class, registry);
    this.sender = new Thread(this::drain, "engine-event-publisher");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  @Override
  public void onStep(StepTelemetry step) {
    enqueue(Topics.ENGINE_STEPS.name(), step.getEngineId(),
        steps.serialize(Topics.ENGINE_STEPS.name(), step));
  }

  @Override
  public void onRequestEvent(RequestEvent event) {
    enqueue(Topics.ENGINE_REQUESTS.name(), event.getEngineId(),
        events.serialize(Topics.ENGINE_REQUESTS.name(), event));
  }

  /** A heartbeat on the compacted registry topic. */
  public void heartbeat(EngineDescriptor descriptor) {
    enqueue(Topics.ENGINE_REGISTRY.name(), descriptor.getEngineId(),
        descriptors.serialize(Topics.ENGINE_REGISTRY.name(), descriptor));
  }

  /** Retires an engine from the registry (a tombstone), so routers drop it at once. */
  public void retire(String engineId) {
    enqueue(Topics.ENGINE_REGISTRY.name(), engineId, null);
  }

  /** A record this process could not use, with why. */
  public void deadLetter(String key, DeadLetter letter) {
    enqueue(Topics.DEAD_LETTERS.name(), key, deadLetters.serialize(Topics.DEAD_LETTERS.name(), letter));
  }

  /**
   * A consumed record this process could not use, dead-lettered with its coordinates, the stage
   * that rejected it and why.
   */
  public void deadLetter(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record, String stage,
      String reason, Throwable cause, long nowMs) {
    deadLetter(record.key(), DeadLetterRecords.of(record, stage, reason, cause, nowMs));
  }

  /** Records dropped because the buffer was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Records the broker acknowledged. */
  public long sent() {
    return sent.get();
  }

  /** Records the producer gave up on (after its own retries). */
  public long failed() {
    return failed.get();
  }

  /** Records waiting in the buffer. */
  public int buffered() {
    return buffer.size();
  }

  /**
   * For fault tests: dies like a killed process. What is buffered is discarded, what is reported
   * from now on is dropped, and the producer is closed without waiting for what it sent.
   */
  public void crash() {
    crashed = true;
    running = false;
    buffer.clear();
    sender.interrupt();
    producer.close(Duration.ZERO);
  }

  private void enqueue(String topic, String key, byte[] value) {
    if (crashed) {
      return;
    }
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    while (!buffer.offer(record)) {
      if (buffer.poll() != null) {
        dropped.incrementAndGet();
      }
    }
  }

  private void drain() {
    while ((running || !buffer.isEmpty()) && !crashed) {
      try {
        ProducerRecord<String, byte[]> record = buffer.poll(100, TimeUnit.MILLISECONDS);
        if (record == null) {
          continue;
        }
        producer.send(record, (metadata, error) -> {
          if (error == null) {
            sent.incrementAndGet();
          } else {
            failed.incrementAndGet();
            LOG.warn("could not publish to {}: {}", record.topic(), error.toString());
          }
        });
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        LOG.warn("could not publish: {}", e.toString());
      }
    }
  }

  /** Sends what is buffered (for up to {@code timeout}) and closes the producer. */
  public void close(Duration timeout) {
    if (crashed) {
      return;
    }
    running = false;
    try {
      sender.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
