package io.synergysched.topologies;

import io.synergysched.runtime.records.CheckedRecordReader;
import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DeadLetterRecords;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Dead-lettering for processors that read raw bytes: read a record with the shared {@link
 * CheckedRecordReader} or forward its dead letter, with the reason and its coordinates, to the
 * dead-letter sink; build a dead-letter record for what has no source record.
 *
 * <p>A record whose schema the registry gives no answer about is not dead-lettered: the stream
 * thread decodes it again in place with {@link RegistryHold}'s backoff for up to {@link
 * #REGISTRY_WAIT}, well inside {@code max.poll.interval.ms} (5 min by default in Streams), then
 * throws. The default processing exception handler fails the stream thread on it, the trainer's
 * uncaught-exception handler replaces the thread, and the new one resumes from the last committed
 * offset: the record is read again, never skipped.
 */
public final class DeadLetters {

  /** How long a stream thread waits in place for the registry before failing (and being replaced). */
  public static final Duration REGISTRY_WAIT = Duration.ofSeconds(60);

  private DeadLetters() {}

  /**
   * The record read by {@code reader} (decoded, converted, checked), or null after forwarding its
   * dead letter, keyed like the record, to {@code sink}.
   */
  public static <V> V readOrForward(
      ProcessorContext<String, Object> context, Record<String, byte[]> record,
      CheckedRecordReader<?, V> reader, String sink) {
    RecordMetadata metadata = context.recordMetadata().orElse(null);
    return RegistryHold.retrying(reader.stage(), REGISTRY_WAIT, () -> reader.read(
        metadata == null ? "unknown" : metadata.topic(),
        metadata == null ? -1 : metadata.partition(),
        metadata == null ? -1 : metadata.offset(),
        record.key(), record.value(),
        (key, letter) -> context.forward(record.withValue((Object) letter), sink)));
  }

  /**
   * @param metadata where the input came from (absent for punctuations: then -1 coordinates)
   * @param stage component and step that rejected it, e.g. {@code model-trainer/validate-step}
   * @param reason readable reason
   * @param cause the exception behind it, or null
   */
  public static DeadLetter of(
      RecordMetadata metadata, String key, byte[] value, String stage, String reason,
      Throwable cause, long nowMs) {
    return DeadLetterRecords.of(
        metadata == null ? "unknown" : metadata.topic(),
        metadata == null ? -1 : metadata.partition(),
        metadata == null ? -1 : metadata.offset(),
        key, value, stage, reason, cause, nowMs);
  }
}
