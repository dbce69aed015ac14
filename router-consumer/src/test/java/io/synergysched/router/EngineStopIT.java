package io.synergysched.router;

import static io.synergysched.router.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.trainer.ModelTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine stops mid-run: the router stops sending it requests within the configured bound, and
 * every request is accounted for: finished elsewhere, or reported REJECTED by the stopped engine.
 */
@Timeout(300) // a hang guard, not a speed assertion
class EngineStopIT {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final long ENGINE_TIMEOUT_MS = 2_000;

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
  void shouldStopRoutingToAStoppedEngineWithinTheBoundAndLoseNoRequest() throws Exception {
    ModelTrainer trainer = PipelineFixture.trainer(KAFKA, "stop-trainer", dir.resolve("trainer"));
    running.add(trainer);
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "stop",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1*3",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    String victim = connector.engines().keySet().iterator().next();
    RouterConsumer router = RouterConsumer.start(RouterConsumerConfig.fromSettings(Map.of(
        RouterConsumerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        RouterConsumerConfig.INSTANCE_ID, "stop-router",
        RouterConsumerConfig.POLICY, "least-request-local",
        RouterConsumerConfig.ENGINE_TIMEOUT_MS, String.valueOf(ENGINE_TIMEOUT_MS),
        RouterConsumerConfig.TRAINER_URL,
        PipelineFixture.trainerUrl(trainer),
        "synergy.http.token", PipelineFixture.TOKEN)));
    running.add(router);

    int total = 240;
    long stoppedAtMs = 0;
    try (KafkaProducer<String, byte[]> producer = PipelineFixture.producer(KAFKA)) {
      for (int i = 0; i < total; i++) {
        // long outputs so requests are still running on the victim when it stops
        PipelineFixture.send(producer, PipelineFixture.request("stop-" + i, 200, 200));
        producer.flush();
        if (i == total / 2) {
          int routedSoFar = i;
          await("half the requests routed", LIMIT, () -> router.routed() >= routedSoFar);
          connector.stopEngine(victim);
          stoppedAtMs = System.currentTimeMillis();
          long bound = stoppedAtMs + ENGINE_TIMEOUT_MS;
          // the second half arrives after the bound, when no router may pick the victim any more
          await("the bound has passed", LIMIT, () -> System.currentTimeMillis() > bound);
        }
      }
    }

    Map<String, RoutingDecision> decisions = new HashMap<>();
    Map<String, RequestEventType> outcome = new HashMap<>();
    var decisionSerde = SpecificAvroSerde.forValues(RoutingDecision.class, NO_REGISTRY);
    var eventSerde = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(KAFKA, "stop-check",
        List.of(Topics.ROUTING_DECISIONS.name(), Topics.ENGINE_REQUESTS.name()))) {
      await("every request decided and ended", LIMIT, () -> {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(Topics.ROUTING_DECISIONS.name())) {
            RoutingDecision d = decisionSerde.deserialize(r.topic(), r.value());
            decisions.put(d.getRequestId(), d);
          } else {
            RequestEvent e = eventSerde.deserialize(r.topic(), r.value());
            if (e.getType() == RequestEventType.FINISHED
                || e.getType() == RequestEventType.REJECTED) {
              outcome.merge(e.getRequestId(), e.getType(), (a, b) -> a);
            }
          }
        }
        long shed = decisions.values().stream()
            .filter(d -> d.getOutcome() == DecisionOutcome.SHED).count();
        return decisions.size() == total && outcome.size() + shed == total;
      });
    }
    long bound = stoppedAtMs + ENGINE_TIMEOUT_MS;
    List<String> lateToVictim = decisions.values().stream()
        .filter(d -> d.getDecidedAtMs() > bound && victim.equals(d.getChosenEngineId()))
        .map(RoutingDecision::getRequestId)
        .toList();
    assertThat(lateToVictim).as("requests routed to the stopped engine after the bound").isEmpty();
    assertThat(outcome.values()).as("the stopped engine reported its in-flight requests")
        .contains(RequestEventType.REJECTED);
    // every routed request ended, finished or reported; nothing vanished
    decisions.values().stream()
        .filter(d -> d.getOutcome() == DecisionOutcome.ROUTED)
        .forEach(d -> assertThat(outcome).containsKey(d.getRequestId()));
  }
}
