package io.synergysched.router;

import static io.synergysched.router.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.core.routing.EngineEligibility;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.trainer.ModelTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eligibility on a real broker: a model-trainer, a round-robin router and an engine-connector
 * serving two models. Its own class (and broker): it reads the decisions topic whole.
 */
@Timeout(300) // a hang guard, not a speed assertion
class RouterEligibilityIT {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final Duration LIMIT = Duration.ofSeconds(60);

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

  /**
   * A request goes only to an engine that serves its model and has room for it: on a cluster of
   * two models, round-robin (which would alternate between them) sends each request to its own
   * model's engine; a request for a model nobody serves, or longer than every engine's
   * max_model_len, is shed with that reason rather than misrouted or sent to a certain rejection.
   */
  @Test
  void shouldRouteARequestOnlyToEnginesOfItsModelWithRoomForItWhenModelsDiffer() throws Exception {
    ModelTrainer trainer = PipelineFixture.trainer(KAFKA, "models-trainer", dir.resolve("trainer"));
    running.add(trainer);
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "models",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1,h100:llama-2-70b:tp2",
        EngineConnectorConfig.SPEED, "10",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    Map<String, String> modelOf = new HashMap<>();
    connector.engines().forEach((id, backend) -> modelOf.put(id, backend.descriptor(0).getModel()));
    RouterConsumer router = RouterConsumer.start(RouterConsumerConfig.fromSettings(Map.of(
        RouterConsumerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        RouterConsumerConfig.INSTANCE_ID, "models-router",
        RouterConsumerConfig.POLICY, "round-robin",
        RouterConsumerConfig.TRAINER_URL, PipelineFixture.trainerUrl(trainer),
        "synergy.http.token", PipelineFixture.TOKEN)));
    running.add(router);
    await("the router routes", LIMIT, router::isRouting);

    Map<String, String> wanted = new HashMap<>(); // request id -> model asked for, "" for any
    try (KafkaProducer<String, byte[]> producer = PipelineFixture.producer(KAFKA)) {
      for (int i = 0; i < 30; i++) {
        String model = i % 3 == 0 ? "llama-2-7b" : i % 3 == 1 ? "LLAMA-2-70B" : null;
        var request = PipelineFixture.request("model-" + i, 100 + 10 * i, 8);
        request.setModel(model);
        wanted.put(request.getRequestId(), model == null ? "" : model.toLowerCase(java.util.Locale.ROOT));
        PipelineFixture.send(producer, request);
      }
      var unserved = PipelineFixture.request("unserved", 100, 8);
      unserved.setModel("mistral-7b");
      PipelineFixture.send(producer, unserved);
      PipelineFixture.send(producer, PipelineFixture.request("too-long", 4_000, 200));
      producer.flush();
    }

    Map<String, RoutingDecision> decisions = new HashMap<>();
    var decisionSerde = SpecificAvroSerde.forValues(RoutingDecision.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(KAFKA, "models-check",
        List.of(Topics.ROUTING_DECISIONS.name()))) {
      await("every request decided", LIMIT, () -> {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          RoutingDecision d = decisionSerde.deserialize(r.topic(), r.value());
          if (d.getPolicy().equals("round-robin")) {
            decisions.put(d.getRequestId(), d);
          }
        }
        return decisions.size() == wanted.size() + 2;
      });
    }
    wanted.forEach((id, model) -> {
      RoutingDecision d = decisions.get(id);
      assertThat(d.getOutcome()).as("outcome of %s", id).isEqualTo(DecisionOutcome.ROUTED);
      if (!model.isEmpty()) {
        assertThat(modelOf.get(d.getChosenEngineId())).as("model of the engine %s went to", id).isEqualTo(model);
      }
    });
    assertThat(decisions.get("unserved").getOutcome()).isEqualTo(DecisionOutcome.SHED);
    assertThat(decisions.get("unserved").getReason())
        .isEqualTo("no engine serves model 'mistral-7b' (the cluster serves [llama-2-70b, llama-2-7b])");
    assertThat(decisions.get("too-long").getOutcome()).isEqualTo(DecisionOutcome.SHED);
    assertThat(decisions.get("too-long").getReason()).isEqualTo("prompt of 4000 tokens plus up to 200 output"
        + " tokens is longer than any engine accepts (largest max_model_len 4096)");
    assertThat(decisions.get("too-long").getCandidates()).extracting(c -> c.getFilteredBy())
        .containsOnly(EngineEligibility.TOO_LONG);
  }
}
