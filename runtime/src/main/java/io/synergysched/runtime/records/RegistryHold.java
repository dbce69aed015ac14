package io.synergysched.runtime.records;

import io.synergysched.schemas.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reader does when the schema registry gives no answer about a record's schema id ({@link
 * SchemaRegistryUnavailableException}): it keeps the record. Nothing is known to be wrong with it,
 * so it is neither dead-lettered nor skipped, and no offset past it is committed.
 *
 * <p>For a consumer's poll loop ({@link #poll} and {@link #each}): the record's partition is
 * <em>held</em>, sought back to the record and paused, so the partition's later records wait
 * behind it (order is kept) while the other partitions go on and the consumer keeps polling (no
 * {@code max.poll.interval.ms} trouble, no lost group membership). After a backoff of 100 ms,
 * doubling per failed attempt up to 4 s, the partition is resumed and the record read and decoded
 * again, until the registry answers: with the schema (the record is processed) or with a definite
 * no (404, another record type: the reader dead-letters it as usual). The offsets {@link #each}
 * returns stop before a held record.
 *
 * <p>For a thread that cannot poll meanwhile (a Kafka Streams processor, a one-off scan): {@link
 * #retrying} decodes again in place with the same backoff, for up to a bound, then throws the last
 * failure.
 *
 * <p>One instance per consumer; not thread-safe (the consumer's thread uses it), except {@link
 * #holds()}.
 */
public final class RegistryHold {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHold.class);

  /** The first retry's delay. */
  public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  /** The longest delay between two retries. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

  private final String reader;
  private final LongSupplier clock;
  /** Held partitions (sought back and paused) and when each is resumed, epoch ms. */
  private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
  /** Failed attempts in a row per partition, kept until a record of it is decoded again. */
  private final Map<TopicPartition, Integer> attempts = new HashMap<>();
  private final AtomicLong holds = new AtomicLong();

  /**
   * @param reader what reads, for the log (e.g. {@code router-consumer/inbound})
   * @param clock wall clock, epoch ms
   */
  public RegistryHold(String reader, LongSupplier clock) {
    this.reader = reader;
    this.clock = clock;
  }

  public RegistryHold(String reader) {
    this(reader, System::currentTimeMillis);
  }

  /** The delay before retry number {@code attempt} (1 for the first): 100 ms doubling up to 4 s. */
  public static long backoffMs(int attempt) {
    long delay = FIRST_BACKOFF.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    return Math.min(delay, MAX_BACKOFF.toMillis());
  }

  /** Resumes the held partitions whose backoff is over, then polls. */
  public <K, V> ConsumerRecords<K, V> poll(Consumer<K, V> consumer, Duration timeout) {
    resumeDue(consumer);
    return consumer.poll(timeout);
  }

  /** Resumes the held partitions whose backoff is over: their held record comes again. */
  public void resumeDue(Consumer<?, ?> consumer) {
    if (resumeAt.isEmpty()) {
      return;
    }
    long now = clock.getAsLong();
    List<TopicPartition> due = resumeAt.entrySet().stream()
        .filter(e -> e.getValue() <= now).map(Map.Entry::getKey).toList();
    if (!due.isEmpty()) {
      due.forEach(resumeAt::remove);
      consumer.resume(due);
    }
  }

  /**
   * Hands the polled records to {@code handler} in order, except where a record's handler throws
   * {@link SchemaRegistryUnavailableException}: that record's partition is held ({@link
   * #hold}) and its later records in {@code records} are not handed over (they come again after
   * the held one).
   *
   * @return per partition, the offset after the last record handled: what may be committed
   *     (partitions without a handled record are absent)
   */
  public <K, V> Map<TopicPartition, OffsetAndMetadata> each(Consumer<K, V> consumer,
      ConsumerRecords<K, V> records, java.util.function.Consumer<ConsumerRecord<K, V>> handler) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (ConsumerRecord<K, V> record : records) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      if (resumeAt.containsKey(tp)) {
        continue;
      }
      try {
        handler.accept(record);
      } catch (SchemaRegistryUnavailableException e) {
        hold(consumer, record, e);
        continue;
      }
      released(tp);
      next.put(tp, new OffsetAndMetadata(record.offset() + 1));
    }
    return next;
  }

  /**
   * Holds {@code record}'s partition: seeks it back to the record and pauses it until the next
   * backoff is over.
   */
  public void hold(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record,
      SchemaRegistryUnavailableException cause) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    int attempt = attempts.merge(tp, 1, Integer::sum);
    long delay = backoffMs(attempt);
    consumer.seek(tp, record.offset());
    consumer.pause(List.of(tp));
    resumeAt.put(tp, clock.getAsLong() + delay);
    long n = holds.incrementAndGet();
    if (attempt == 1 || attempt % 10 == 0) {
      LOG.warn("{} holds {} at offset {} (attempt {}, retry in {} ms, {} holds so far): {}", reader,
          tp, record.offset(), attempt, delay, n, cause.getMessage());
    }
  }

  /** A record of {@code tp} was decoded: the registry answers again for it. */
  private void released(TopicPartition tp) {
    Integer failed = attempts.remove(tp);
    if (failed != null) {
      LOG.info("{} reads {} again after {} failed attempts", reader, tp, failed);
    }
  }

  /** Forgets revoked partitions (a new owner starts from the committed offset, never past a held record). */
  public void revoked(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      resumeAt.remove(tp);
      attempts.remove(tp);
    }
  }

  /** True while {@code tp} is held (sought back and paused). */
  public boolean isHeld(TopicPartition tp) {
    return resumeAt.containsKey(tp);
  }

  /** Times a partition was held since start; any thread. */
  public long holds() {
    return holds.get();
  }

  /** Sleeps between two in-place attempts; the default is {@link Thread#sleep}. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long ms) throws InterruptedException;
  }

  /**
   * Decodes in place until the registry answers: {@code decode} is called again after each
   * {@link SchemaRegistryUnavailableException}, with the backoff above, for up to {@code bound} in
   * all; then the last failure is thrown. For threads that must not poll meanwhile.
   *
   * @param bound how long to keep trying; {@code null} for as long as it takes
   * @throws SchemaRegistryUnavailableException the last failure, when the bound is reached or the
   *     thread is interrupted
   */
  public static <T> T retrying(String reader, Duration bound, Supplier<T> decode) {
    return retrying(reader, bound, decode, System::nanoTime, Thread::sleep);
  }

  /** {@link #retrying(String, Duration, Supplier)} with its clock (ns) and sleep given. */
  public static <T> T retrying(String reader, Duration bound, Supplier<T> decode,
      LongSupplier nanoClock, Sleeper sleeper) {
    long start = nanoClock.getAsLong();
    for (int attempt = 1; ; attempt++) {
      try {
        T value = decode.get();
        if (attempt > 1) {
          LOG.info("{} decodes again after {} failed attempts", reader, attempt - 1);
        }
        return value;
      } catch (SchemaRegistryUnavailableException e) {
        long delay = backoffMs(attempt);
        long elapsedMs = (nanoClock.getAsLong() - start) / 1_000_000;
        if (bound != null && elapsedMs + delay > bound.toMillis()) {
          LOG.error("{} gives up after {} attempts in {} ms: {}", reader, attempt, elapsedMs,
              e.getMessage());
          throw e;
        }
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warn("{} waits for the schema registry (attempt {}, retry in {} ms): {}", reader,
              attempt, delay, e.getMessage());
        }
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** For tests: the partitions held now and when each resumes. */
  Map<TopicPartition, Long> heldUntil() {
    return Map.copyOf(resumeAt);
  }
}
