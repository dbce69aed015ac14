package io.synergysched.router;

import static io.synergysched.router.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.embedded.ApicurioRegistryServer;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.testsupport.SchemaRegistryExtension;
import io.synergysched.topologies.TopicProvisioner;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema registry outage on a real broker with the real registry (Apicurio), frozen with
 * SIGSTOP and let go again: trainer, engine-connector and router all use it. A valid request
 * whose writer schema id the router has never seen arrives while the registry does not answer;
 * the router must keep it (no dead letter, no offset committed past it), and route it once the
 * registry answers. Its own broker: it reads the decision and dead-letter topics whole.
 */
@ExtendWith(SchemaRegistryExtension.class)
@Timeout(300) // a hang guard, not a speed assertion
class RegistryOutageIT {

  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String SUBJECT = Topics.REQUESTS_INBOUND.name() + "-value";

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void shouldRouteARequestOnceAndDeadLetterNothingWhenItsSchemaIdArrivesDuringARegistryOutage(
      ApicurioRegistryServer registry) throws Exception {
    String url = registry.confluentApiUrl();
    try (Admin admin = KAFKA.admin()) {
      TopicProvisioner.ensureTopics(admin, 4, (short) 1);
    }
    ModelTrainer trainer = ModelTrainer.start(ModelTrainerConfig.fromSettings(Map.of(
        ModelTrainerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        ModelTrainerConfig.APPLICATION_ID, "outage-trainer",
        ModelTrainerConfig.STATE_DIR, dir.resolve("trainer").toString(),
        ModelTrainerConfig.IQ_PORT, "0",
        ModelTrainerConfig.SCHEMA_REGISTRY_URL, url,
        "synergy.http.token", PipelineFixture.TOKEN)));
    running.add(trainer);
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "outage",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1",
        EngineConnectorConfig.SPEED, "10",
        EngineConnectorConfig.HEARTBEAT_MS, "200",
        EngineConnectorConfig.SCHEMA_REGISTRY_URL, url)));
    running.add(connector);
    RouterConsumer router = RouterConsumer.start(RouterConsumerConfig.fromSettings(Map.of(
        RouterConsumerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        RouterConsumerConfig.INSTANCE_ID, "outage-router",
        RouterConsumerConfig.POLICY, "round-robin",
        RouterConsumerConfig.TRAINER_URL, PipelineFixture.trainerUrl(trainer),
        RouterConsumerConfig.SCHEMA_REGISTRY_URL, url,
        "synergy.http.token", PipelineFixture.TOKEN)));
    running.add(router);
    await("the router routes", LIMIT, router::isRouting);

    SchemaRegistryClient client = new SchemaRegistryClient(AvroSerdeConfig.withRegistry(url));
    AvroRecordCodec<InferenceRequest> requests = new AvroRecordCodec<>(InferenceRequest.class, client);
    AvroRecordCodec<RoutingDecision> decisionCodec = new AvroRecordCodec<>(RoutingDecision.class, client);
    AvroRecordCodec<RequestEvent> eventCodec = new AvroRecordCodec<>(RequestEvent.class, client);
    // the same record type under a schema id nobody has asked for yet: a new version of the
    // subject (only a property differs, so every reader resolves it)
    Schema newVersion = new Schema.Parser().parse(requests.schema().toString());
    newVersion.addProp("synergysched.outage-test", Long.toString(System.nanoTime()));
    int newId = client.idFor(SUBJECT, newVersion);
    int currentId = client.idFor(SUBJECT, requests.schema());
    assertThat(newId).isNotEqualTo(currentId);

    Map<String, Integer> decided = new HashMap<>();
    Set<String> finished = new java.util.HashSet<>();
    try (KafkaProducer<String, byte[]> producer = PipelineFixture.producer(KAFKA);
        KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(KAFKA, "outage-check",
            List.of(Topics.ROUTING_DECISIONS.name(), Topics.ENGINE_REQUESTS.name()))) {
      Runnable read = () -> {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(Topics.ROUTING_DECISIONS.name())) {
            RoutingDecision d = decisionCodec.decodeValue(r);
            assertThat(d.getOutcome()).as("outcome of %s", d.getRequestId()).isEqualTo(DecisionOutcome.ROUTED);
            decided.merge(d.getRequestId(), 1, Integer::sum);
          } else if (r.value() != null) {
            RequestEvent e = eventCodec.decodeValue(r);
            if (e.getType() == RequestEventType.FINISHED) {
              finished.add(e.getRequestId());
            }
          }
        }
      };
      // before the outage: every service has its schemas (and their ids) for the records it writes
      InferenceRequest warm = PipelineFixture.request("before-outage", 100, 8);
      producer.send(new ProducerRecord<>(Topics.REQUESTS_INBOUND.name(), warm.getRequestId(),
          requests.encode(SUBJECT, warm))).get();
      await("the first request finished", LIMIT, () -> {
        read.run();
        return finished.contains("before-outage");
      });

      registry.pause();
      try {
        InferenceRequest during = PipelineFixture.request("during-outage", 120, 8);
        producer.send(new ProducerRecord<>(Topics.REQUESTS_INBOUND.name(), during.getRequestId(),
            framed(newId, requests, during))).get();
        await("the router tried the registry for schema id " + newId, LIMIT,
            () -> router.registryHolds() > 0 || router.deadLettered() > 0);
      } finally {
        registry.resume();
      }
      assertThat(router.deadLettered()).as("requests the router dead-lettered").isZero();

      await("the request sent during the outage routed and finished", LIMIT, () -> {
        read.run();
        return finished.contains("during-outage");
      });
      InferenceRequest after = PipelineFixture.request("after-outage", 100, 8);
      producer.send(new ProducerRecord<>(Topics.REQUESTS_INBOUND.name(), after.getRequestId(),
          requests.encode(SUBJECT, after))).get();
      await("the request after the outage finished", LIMIT, () -> {
        read.run();
        return finished.contains("after-outage");
      });
      readToEnd(reader, read);
    }

    assertThat(decided).as("decisions per request")
        .isEqualTo(Map.of("before-outage", 1, "during-outage", 1, "after-outage", 1));
    assertThat(router.deadLettered()).isZero();
    assertThat(router.skippedTelemetry()).as("telemetry the router skipped").isZero();
    assertThat(connector.deadLettered()).isZero();
    try (KafkaConsumer<String, byte[]> letters = PipelineFixture.committedReader(KAFKA, "outage-dlq",
        List.of(Topics.DEAD_LETTERS.name()))) {
      List<String> seen = new ArrayList<>();
      readToEnd(letters, () -> letters.poll(Duration.ofMillis(200))
          .forEach(r -> seen.add(r.offset() + ": " + r.value().length + " bytes")));
      assertThat(seen).as("dead letters").isEmpty();
    }
    assertThat(client.compatibilityOf(Topics.ROUTING_DECISIONS.name() + "-value"))
        .as("compatibility of a subject the router registered").isEqualTo("BACKWARD");
  }

  /** Confluent framing with {@code id}, the body written with the current schema. */
  private static byte[] framed(int id, AvroRecordCodec<InferenceRequest> codec, InferenceRequest r) {
    byte[] single = new AvroRecordCodec<>(InferenceRequest.class, (SchemaRegistryClient) null)
        .encode("unused", r);
    return ByteBuffer.allocate(5 + single.length - 10).put((byte) 0).putInt(id)
        .put(single, 10, single.length - 10).array();
  }

  /** Runs {@code read} until the consumer's positions reach the end offsets of its assignment. */
  private static void readToEnd(KafkaConsumer<String, byte[]> consumer, Runnable read) {
    await("assignment", LIMIT, () -> {
      read.run();
      return !consumer.assignment().isEmpty();
    });
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    await("read to the end", LIMIT, () -> {
      read.run();
      return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    });
  }
}
