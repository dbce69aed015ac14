package io.synergysched.router;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.testsupport.Await;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.topologies.TopicProvisioner;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
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

  /** The bearer token of the services' HTTP endpoints in these tests. */
  static final String TOKEN = "router-it-token-0123456789abcdef";

  private PipelineFixture() {}

  /** Creates the topics and starts a model-trainer with its query API on a free port. */
  static ModelTrainer trainer(KafkaClusterExtension kafka, String applicationId, Path stateDir)
      throws Exception {
    try (Admin admin = kafka.admin()) {
      TopicProvisioner.ensureTopics(admin, 4, (short) 1);
    }
    return ModelTrainer.start(ModelTrainerConfig.fromSettings(Map.of(
        ModelTrainerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        ModelTrainerConfig.APPLICATION_ID, applicationId,
        ModelTrainerConfig.STATE_DIR, stateDir.toString(),
        ModelTrainerConfig.IQ_PORT, "0",
        "synergy.http.token", TOKEN)));
  }

  /** The trainer's query API, as a router's {@code synergy.router.trainer-url}. */
  static String trainerUrl(ModelTrainer trainer) {
    return "http://" + trainer.advertised().host() + ":" + trainer.advertised().port();
  }

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
    return producer(kafka.clientProperties());
  }

  /** A producer with these client settings ({@code bootstrap.servers} and security). */
  static KafkaProducer<String, byte[]> producer(Properties client) {
    Properties props = new Properties();
    props.putAll(client);
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
    return committedReader(kafka.clientProperties(), group, topics);
  }

  /** A read_committed consumer with these client settings of {@code topics} from their start. */
  static KafkaConsumer<String, byte[]> committedReader(Properties client, String group,
      List<String> topics) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(topics);
    return consumer;
  }

  /** {@link Await#until}, and on timeout the router threads' stacks, to see where one is stuck. */
  static void await(String what, Duration limit, BooleanSupplier condition) {
    try {
      Await.until(what, limit, condition);
    } catch (AssertionError e) {
      StringBuilder threads = new StringBuilder();
      Thread.getAllStackTraces().forEach((t, stack) -> {
        if (t.getName().startsWith("router-")) {
          threads.append('\n').append(t.getName()).append(':');
          for (StackTraceElement frame : stack) {
            threads.append("\n    at ").append(frame);
          }
        }
      });
      throw new AssertionError(e.getMessage() + "; router threads:" + threads, e);
    }
  }
}
