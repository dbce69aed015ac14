package io.synergysched.router;

import static io.synergysched.router.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.core.routing.EngineEligibility;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.EndpointKind;
import io.synergysched.schemas.InferenceResponse;
import io.synergysched.schemas.RequestPayload;
import io.synergysched.schemas.ResponseKind;
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
   * A model-trainer, a round-robin router and an engine-connector serving Llama-2-7B on an A100
   * and Llama-2-70B TP2 on an H100, ids prefixed by {@code name}; returns each engine's model.
   */
  private Map<String, String> startCluster(String name) throws Exception {
    ModelTrainer trainer = PipelineFixture.trainer(KAFKA, name + "-trainer", dir.resolve("trainer"));
    running.add(trainer);
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, name,
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1,h100:llama-2-70b:tp2",
        EngineConnectorConfig.SPEED, "10",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    Map<String, String> modelOf = new HashMap<>();
    connector.engines().forEach((id, backend) -> modelOf.put(id, backend.descriptor(0).getModel()));
    RouterConsumer router = RouterConsumer.start(RouterConsumerConfig.fromSettings(Map.of(
        RouterConsumerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        RouterConsumerConfig.INSTANCE_ID, name + "-router",
        RouterConsumerConfig.POLICY, "round-robin",
        RouterConsumerConfig.TRAINER_URL, PipelineFixture.trainerUrl(trainer),
        "synergy.http.token", PipelineFixture.TOKEN)));
    running.add(router);
    await("the router routes", LIMIT, router::isRouting);
    return modelOf;
  }

  /**
   * A request goes only to an engine that serves its model and has room for it: on a cluster of
   * two models, round-robin (which would alternate between them) sends each request to its own
   * model's engine; a request for a model nobody serves, or longer than every engine's
   * max_model_len, is shed with that reason rather than misrouted or sent to a certain rejection.
   */
  @Test
  void shouldRouteARequestOnlyToEnginesOfItsModelWithRoomForItWhenModelsDiffer() throws Exception {
    Map<String, String> modelOf = startCluster("models");

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
          if (wanted.containsKey(d.getRequestId()) || d.getRequestId().equals("unserved")
              || d.getRequestId().equals("too-long")) {
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

  /**
   * A request with a payload that the router cannot route is answered, in the same transaction as
   * its decision, on its reply topic: 404 for a model nobody serves, 400 for a prompt too long
   * for every engine, 400 (and a dead letter) for a malformed OpenAI body. A request whose reply
   * topic does not exist is dead-lettered, not answered, and routing goes on: with the broker's
   * auto-creation off, a record for that topic would otherwise hold the transaction until it
   * timed out, and the batch would be routed again forever.
   */
  @Test
  void shouldAnswerARequestItCannotRouteOnItsReplyTopicWhenItCarriesAPayload() throws Exception {
    KAFKA.createTopics("gw-test.replies");
    startCluster("answers");
    String chat = "{\"model\":\"llama-2-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (KafkaProducer<String, byte[]> producer = PipelineFixture.producer(KAFKA)) {
      var unserved = PipelineFixture.request("ans-unserved", 100, 8);
      unserved.setModel("mistral-7b");
      unserved.setPayload(new RequestPayload(EndpointKind.CHAT, chat));
      unserved.setCorrelationId("corr-unserved");
      PipelineFixture.send(producer, unserved); // default reply topic
      var tooLong = PipelineFixture.request("ans-too-long", 4_000, 200);
      tooLong.setPayload(new RequestPayload(EndpointKind.CHAT, chat));
      tooLong.setReplyTo("gw-test.replies");
      PipelineFixture.send(producer, tooLong);
      var malformed = PipelineFixture.request("ans-malformed", 100, 8);
      malformed.setPayload(new RequestPayload(EndpointKind.CHAT, "{\"model\":\"llama-2-7b\"}"));
      malformed.setReplyTo("gw-test.replies");
      PipelineFixture.send(producer, malformed);
      var nowhere = PipelineFixture.request("ans-nowhere", 100, 8);
      nowhere.setPayload(new RequestPayload(EndpointKind.CHAT, chat));
      nowhere.setReplyTo("nowhere.replies");
      PipelineFixture.send(producer, nowhere);
      var fine = PipelineFixture.request("ans-fine", 100, 8);
      fine.setPayload(new RequestPayload(EndpointKind.CHAT, chat));
      fine.setModel("llama-2-7b");
      PipelineFixture.send(producer, fine);
      producer.flush();
    }

    Map<String, RoutingDecision> decisions = new HashMap<>();
    Map<String, List<InferenceResponse>> answers = new HashMap<>();
    Map<String, DeadLetter> deadLetters = new HashMap<>();
    var decisionSerde = SpecificAvroSerde.forValues(RoutingDecision.class, NO_REGISTRY);
    var answerSerde = SpecificAvroSerde.forValues(InferenceResponse.class, NO_REGISTRY);
    var letterSerde = SpecificAvroSerde.forValues(DeadLetter.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(KAFKA, "answers-check",
        List.of(Topics.ROUTING_DECISIONS.name(), Topics.RESPONSES.name(), "gw-test.replies",
            Topics.DEAD_LETTERS.name()))) {
      await("every request decided, answered or dead-lettered", LIMIT, () -> {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          if (r.key() == null || !r.key().startsWith("ans-")) {
            continue;
          }
          if (r.topic().equals(Topics.ROUTING_DECISIONS.name())) {
            decisions.put(r.key(), decisionSerde.deserialize(r.topic(), r.value()));
          } else if (r.topic().equals(Topics.DEAD_LETTERS.name())) {
            deadLetters.put(r.key(), letterSerde.deserialize(r.topic(), r.value()));
          } else {
            answers.computeIfAbsent(r.topic() + "/" + r.key(), k -> new ArrayList<>())
                .add(answerSerde.deserialize(r.topic(), r.value()));
          }
        }
        return decisions.containsKey("ans-fine") && answers.size() >= 3 && deadLetters.size() >= 2;
      });
    }

    InferenceResponse notFound = answers.get(Topics.RESPONSES.name() + "/ans-unserved").get(0);
    assertThat(notFound.getKind()).isEqualTo(ResponseKind.FINAL);
    assertThat(notFound.getCorrelationId()).isEqualTo("corr-unserved");
    assertThat(notFound.getError().getHttpStatus()).isEqualTo(404);
    assertThat(notFound.getError().getCode()).isEqualTo("model_not_found");
    assertThat(notFound.getError().getMessage()).isEqualTo(decisions.get("ans-unserved").getReason());
    InferenceResponse tooLong = answers.get("gw-test.replies/ans-too-long").get(0);
    assertThat(tooLong.getError().getHttpStatus()).isEqualTo(400);
    assertThat(tooLong.getError().getCode()).isEqualTo("context_length_exceeded");
    InferenceResponse malformed = answers.get("gw-test.replies/ans-malformed").get(0);
    assertThat(malformed.getError().getHttpStatus()).isEqualTo(400);
    assertThat(malformed.getError().getMessage()).isEqualTo("'messages' is a required property");
    assertThat(deadLetters.get("ans-malformed").getError()).isEqualTo("'messages' is a required property");
    assertThat(decisions).doesNotContainKeys("ans-malformed", "ans-nowhere");
    assertThat(deadLetters.get("ans-nowhere").getError())
        .isEqualTo("reply topic 'nowhere.replies' does not exist: the answer would have nowhere to go");
    assertThat(decisions.get("ans-fine").getOutcome()).isEqualTo(DecisionOutcome.ROUTED);
    assertThat(answers.values()).allSatisfy(list -> assertThat(list).hasSize(1));
    assertThat(answers).doesNotContainKey(Topics.RESPONSES.name() + "/ans-fine").hasSize(3);
  }
}
