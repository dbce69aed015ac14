package io.synergysched.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.synergysched.schemas.SampleRecords;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.embedded.ApicurioRegistryServer;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.testsupport.SchemaRegistryExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Garbage, truncated records and unknown schema ids, against a real registry and a real broker:
 * each gives a clear exception that names where the record is, never a hang or a silent null.
 */
@ExtendWith(SchemaRegistryExtension.class)
@Timeout(180) // a hang guard, not a speed assertion
class UndecodableRecordIT {

  private static final String TOPIC = "undecodable-steps";

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @Test
  void shouldNameTheUnknownSchemaIdWhenRegistryDoesNotKnowIt(ApicurioRegistryServer registry) {
    AvroRecordCodec<StepTelemetry> codec =
        new AvroRecordCodec<>(
            StepTelemetry.class, AvroSerdeConfig.withRegistry(registry.confluentApiUrl()));
    byte[] unknownId = {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 4, 6};

    Throwable thrown = catchThrowable(() -> codec.decode(TOPIC, 4, 99L, unknownId));

    assertThat(thrown)
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageContaining("topic '" + TOPIC + "' partition 4 offset 99")
        .hasMessageContaining("unknown schema id 2147483632");
  }

  @Test
  void shouldNameTheSchemaWhenIdBelongsToAnotherRecordType(ApicurioRegistryServer registry) {
    SchemaRegistryClient client =
        new SchemaRegistryClient(AvroSerdeConfig.withRegistry(registry.confluentApiUrl()));
    byte[] request =
        new AvroRecordCodec<>(io.synergysched.schemas.InferenceRequest.class, client)
            .encode("other-value", SampleRecords.inferenceRequest());

    Throwable thrown =
        catchThrowable(
            () -> new AvroRecordCodec<>(StepTelemetry.class, client).decode(TOPIC, 0, 1L, request));

    assertThat(thrown).isInstanceOf(UndecodableRecordException.class);
    assertThat(((UndecodableRecordException) thrown).reason())
        .matches("schema id \\d+ is io\\.synergysched\\.schemas\\.InferenceRequest, expected"
            + " io\\.synergysched\\.schemas\\.StepTelemetry");
  }

  @Test
  void shouldSurfacePartitionAndOffsetInTheConsumerAndKeepReadingWhenRecordsAreBad(
      ApicurioRegistryServer registry) throws Exception {
    KAFKA.createTopic(TOPIC, 1);
    SchemaRegistryClient client =
        new SchemaRegistryClient(AvroSerdeConfig.withRegistry(registry.confluentApiUrl()));
    SpecificAvroSerde<StepTelemetry> serde = SpecificAvroSerde.forValues(StepTelemetry.class, client);
    byte[] valid = serde.serialize(TOPIC, SampleRecords.stepTelemetry());
    List<byte[]> values =
        List.of(
            "garbage, not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Arrays.copyOf(valid, valid.length - 4), // truncated
            new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2}, // unknown schema id
            valid);
    produceRaw(values);

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> failures = new ArrayList<>();
    StepTelemetry decoded = null;
    try (KafkaConsumer<String, StepTelemetry> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer())) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (decoded == null && System.nanoTime() < deadline) {
        try {
          for (ConsumerRecord<String, StepTelemetry> record : consumer.poll(Duration.ofMillis(200))) {
            decoded = record.value();
          }
        } catch (RecordDeserializationException e) {
          assertThat(e.getCause()).isInstanceOf(UndecodableRecordException.class);
          failures.add(e.topicPartition() + "@" + e.offset() + ": "
              + ((UndecodableRecordException) e.getCause()).reason());
          consumer.seek(e.topicPartition(), e.offset() + 1); // what a dead-lettering caller does
        }
      }
    }

    assertThat(failures).hasSize(3);
    assertThat(failures.get(0)).startsWith(TOPIC + "-0@0: unknown framing");
    assertThat(failures.get(1)).startsWith(TOPIC + "-0@1: truncated StepTelemetry body");
    assertThat(failures.get(2)).startsWith(TOPIC + "-0@2: unknown schema id");
    assertThat(decoded).isEqualTo(SampleRecords.stepTelemetry());
  }

  private static void produceRaw(List<byte[]> values) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(TOPIC, 0, "a100-0", value)).get(30, TimeUnit.SECONDS);
      }
    }
  }
}
