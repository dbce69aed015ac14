package io.synergysched.router;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.testsupport.KafkaClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the end-to-end router tests share: producing requests, reading topics, waiting. */
final class PipelineFixture {

  static final AvroRecordCodec<InferenceRequest> REQUESTS =
      new AvroRecordCodec<>(InferenceRequest.class, (SchemaRegistryClient) null);

  private PipelineFixture() {}

  static InferenceRequest request(String id, int prompt, int output) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setArrivalTimeMs(System.currentTimeMillis())
        .setPromptTokens(prompt)
        .setMaxOutputTokens(output)
        .setSloTtftMs(2000)
        .setSloTpotMs(200)
        .build();
  }

  static KafkaProducer<String, byte[]> producer(KafkaClusterExtension kafka) {
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  static void send(KafkaProducer<String, byte[]> producer, InferenceRequest request) {
    producer.send(new ProducerRecord<>(Topics.REQUESTS_INBOUND.name(), request.getRequestId(),
        REQUESTS.encode("unused", request)));
  }

  /** A read_committed consumer of {@code topics} from their start. */
  static KafkaConsumer<String, byte[]> committedReader(KafkaClusterExtension kafka, String group,
      List<String> topics) {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(topics);
    return consumer;
  }

  static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
          if (t.getName().startsWith("router-")) {
            threads.append('\n').append(t.getName()).append(':');
            for (StackTraceElement e : stack) {
              threads.append("\n    at ").append(e);
            }
          }
        });
        throw new AssertionError("timed out waiting until " + what + "; router threads:" + threads);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
