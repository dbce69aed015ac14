package io.synergysched.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds the {@link DeadLetter} for a record a component cannot use: where it was, why, its bytes. */
public final class DeadLetterRecords {

  private DeadLetterRecords() {}

  /**
   * @param partition and {@code offset}: -1 when the record did not come from Kafka
   * @param stage component and step that rejected it, e.g. {@code router-consumer/validate-request}
   * @param cause the exception behind it, or null
   */
  public static DeadLetter of(
      String topic, int partition, long offset, String key, byte[] value, String stage,
      String reason, Throwable cause, long nowMs) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setStage(stage)
        .setError(reason)
        .setErrorClass(cause == null ? null : cause.getClass().getName())
        .setFailedAtMs(nowMs)
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .build();
  }

  /** The dead letter of a consumed record. */
  public static DeadLetter of(
      ConsumerRecord<String, byte[]> record, String stage, String reason, Throwable cause,
      long nowMs) {
    return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
        stage, reason, cause, nowMs);
  }
}
