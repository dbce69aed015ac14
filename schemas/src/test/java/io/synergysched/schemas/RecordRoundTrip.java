package io.synergysched.schemas;

import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Sends the sample record of every topic through a real broker with our serdes and reads it back,
 * raw and decoded.
 */
public final class RecordRoundTrip {

  /** What came back for one topic: the bytes on the wire and the record decoded from them. */
  public record Result(Topics.TopicSpec<?> topic, SpecificRecord sent, byte[] wire,
      SpecificRecord received) {}

  private RecordRoundTrip() {}

  /**
   * Produces every sample record to its topic (which must exist) and consumes it back from the
   * exact offset the broker assigned.
   *
   * @param registry registry client for the Confluent wire format, or null for single-object
   */
  public static List<Result> run(String bootstrapServers, SchemaRegistryClient registry)
      throws Exception {
    List<Result> results = new ArrayList<>();
    for (Map.Entry<Topics.TopicSpec<?>, SpecificRecord> entry : SampleRecords.byTopic().entrySet()) {
      results.add(roundTrip(bootstrapServers, registry, entry.getKey(), entry.getValue()));
    }
    return results;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Result roundTrip(
      String bootstrapServers, SchemaRegistryClient registry, Topics.TopicSpec<?> topic,
      SpecificRecord record) throws Exception {
    SpecificAvroSerde serde = SpecificAvroSerde.forValues((Class) topic.valueType(), registry);
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    RecordMetadata metadata;
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), serde.serializer())) {
      metadata = producer.send(new ProducerRecord<>(topic.name(), "key-1", record))
          .get(30, TimeUnit.SECONDS);
    }
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
      consumer.assign(List.of(partition));
      consumer.seek(partition, metadata.offset());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> consumed : consumer.poll(Duration.ofMillis(200))) {
          if (consumed.offset() == metadata.offset()) {
            SpecificRecord decoded =
                (SpecificRecord) serde.deserializer().deserialize(topic.name(), consumed.value());
            return new Result(topic, record, consumed.value(), decoded);
          }
        }
      }
    }
    throw new AssertionError("record for " + topic.name() + " at offset " + metadata.offset()
        + " was not consumed within 30 s");
  }
}
