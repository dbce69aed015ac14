package io.synergysched.schemas.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record type, framed as {@link AvroRecordCodec} describes.
 * Subjects follow the topic-name strategy ({@code <topic>-value}, {@code <topic>-key}).
 *
 * <p>Deserialization failures throw {@link UndecodableRecordException}; inside a {@code
 * KafkaConsumer} they surface as {@code RecordDeserializationException} with the partition and
 * offset, and in Kafka Streams they reach the deserialization exception handler with both.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final AvroRecordCodec<T> codec;
  private final boolean isKey;

  public SpecificAvroSerde(AvroRecordCodec<T> codec, boolean isKey) {
    this.codec = codec;
    this.isKey = isKey;
  }

  /** A value serde for {@code type} with these settings. */
  public static <T extends SpecificRecord> SpecificAvroSerde<T> forValues(
      Class<T> type, AvroSerdeConfig config) {
    return new SpecificAvroSerde<>(new AvroRecordCodec<>(type, config), false);
  }

  /** A value serde for {@code type} sharing one registry client (null for no registry). */
  public static <T extends SpecificRecord> SpecificAvroSerde<T> forValues(
      Class<T> type, SchemaRegistryClient registry) {
    return new SpecificAvroSerde<>(new AvroRecordCodec<>(type, registry), false);
  }

  public AvroRecordCodec<T> codec() {
    return codec;
  }

  /** Already configured at construction; Kafka's configs are ignored. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(topic + (isKey ? "-key" : "-value"), data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return codec.decode(topic, -1, -1L, data);
  }

  @Override
  public void close() {}

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }
}
