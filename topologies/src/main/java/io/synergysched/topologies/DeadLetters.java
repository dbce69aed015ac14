package io.synergysched.topologies;

import io.synergysched.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the dead-letter record for an input that a processor cannot use. */
public final class DeadLetters {

  private DeadLetters() {}

  /**
   * @param metadata where the input came from (absent for punctuations: then -1 coordinates)
   * @param stage component and step that rejected it, e.g. {@code model-trainer/validate-step}
   * @param reason readable reason
   * @param cause the exception behind it, or null
   */
  public static DeadLetter of(
      RecordMetadata metadata, String key, byte[] value, String stage, String reason,
      Throwable cause, long nowMs) {
    return DeadLetter.newBuilder()
        .setSourceTopic(metadata == null ? "unknown" : metadata.topic())
        .setSourcePartition(metadata == null ? -1 : metadata.partition())
        .setSourceOffset(metadata == null ? -1 : metadata.offset())
        .setStage(stage)
        .setError(reason)
        .setErrorClass(cause == null ? null : cause.getClass().getName())
        .setFailedAtMs(nowMs)
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .build();
  }
}
