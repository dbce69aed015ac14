package io.synergysched.topologies;

import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DeadLetterRecords;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.UndecodableRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Dead-lettering for processors that read raw bytes: decode a record or forward it, with the
 * reason and its coordinates, to the dead-letter sink; build the dead-letter record itself.
 */
public final class DeadLetters {

  private DeadLetters() {}

  /**
   * The record's value decoded, or null after forwarding it to {@code sink} as a dead letter
   * (undecodable bytes or a null value).
   */
  public static <T extends SpecificRecord> T decodeOrForward(
      ProcessorContext<String, Object> context, Record<String, byte[]> record,
      AvroRecordCodec<T> codec, String stage, String sink) {
    RecordMetadata metadata = context.recordMetadata().orElse(null);
    try {
      T value =
          codec.decode(
              metadata == null ? "unknown" : metadata.topic(),
              metadata == null ? -1 : metadata.partition(),
              metadata == null ? -1 : metadata.offset(),
              record.value());
      if (value == null) {
        forward(context, record, stage, "null value (a tombstone is not a "
            + codec.schema().getName() + ")", null, sink);
      }
      return value;
    } catch (UndecodableRecordException e) {
      forward(context, record, stage, e.reason(), e, sink);
      return null;
    }
  }

  /** Forwards {@code record}'s original bytes to {@code sink} as a dead letter with the reason. */
  public static void forward(
      ProcessorContext<String, Object> context, Record<String, byte[]> record, String stage,
      String reason, Throwable cause, String sink) {
    context.forward(
        record.withValue(
            (Object)
                of(
                    context.recordMetadata().orElse(null), record.key(), record.value(), stage,
                    reason, cause, context.currentSystemTimeMs())),
        sink);
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
