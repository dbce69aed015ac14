package io.synergysched.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes could not be turned into the expected Avro record. Names where the record came
 * from so the caller can dead-letter it; a partition or offset of -1 means the decoder was called
 * without them (a Kafka consumer then wraps this in a {@code RecordDeserializationException} that
 * carries both).
 */
public class UndecodableRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;
  private final String reason;

  public UndecodableRecordException(
      String topic, int partition, long offset, String reason, Throwable cause) {
    super(
        "cannot decode record from topic '"
            + topic
            + "' partition "
            + partition
            + " offset "
            + offset
            + ": "
            + reason,
        cause);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.reason = reason;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  /** Why decoding failed, without the location. */
  public String reason() {
    return reason;
  }
}
