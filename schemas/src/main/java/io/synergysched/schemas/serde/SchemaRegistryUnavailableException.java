package io.synergysched.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record framed with a schema id could not be decoded because the schema registry gave no
 * definite answer about the id: it could not be reached, timed out, answered 5xx, or refused this
 * client (401, 403, 429, ...). Nothing is known to be wrong with the record: the caller must keep
 * it (not dead-letter it, not commit past it) and decode it again later. Only a definite answer
 * (404 unknown id, or an id whose schema cannot be read as the expected type) makes a record
 * undecodable ({@link UndecodableRecordException}, which this is not).
 */
public class SchemaRegistryUnavailableException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;
  private final int schemaId;

  public SchemaRegistryUnavailableException(
      String topic, int partition, long offset, int schemaId, SchemaRegistryException cause) {
    super("cannot decode record from topic '" + topic + "' partition " + partition + " offset "
        + offset + " yet: no answer from the schema registry for schema id " + schemaId + ": "
        + cause.getMessage(), cause);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.schemaId = schemaId;
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

  /** The writer schema id the registry did not resolve. */
  public int schemaId() {
    return schemaId;
  }
}
