package io.synergysched.router;

import static io.synergysched.router.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
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
 * The whole control plane on a real broker: a model-trainer, two PRISM router instances and an
 * engine-connector with four simulated engines of two GPU types. A burst of requests is routed;
 * one router instance dies mid-transaction; every inbound request ends with exactly one decision
 * record and, unless shed, exactly one routed record, and finishes exactly once on its engine;
 * the trainer's models converge on the engines' step times.
 */
@Timeout(400) // a hang guard, not a speed assertion
class RouterPipelineIT {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int REQUESTS = 300;

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1)
      // a transaction left open by a killed router is aborted within seconds, not a minute
      .withBrokerConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", 1000);

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void shouldRouteEveryRequestExactlyOnceWhenARouterDiesMidTransaction() throws Exception {
    ModelTrainer trainer = PipelineFixture.trainer(KAFKA, "pipeline-trainer", dir.resolve("trainer"));
    running.add(trainer);
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "pipe",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2",
        EngineConnectorConfig.NOISE_SIGMA, "0.03",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    List<String> engines = List.copyOf(connector.engines().keySet());
    RouterConsumer first = router("r1", trainer);
    RouterConsumer second = router("r2", trainer);
    running.add(second);
    // both in the group before the first request: otherwise the router that joined first may
    // route the whole first third before the other gets partitions, and never reach 10
    await("both routers have partitions", LIMIT, () -> first.isRouting() && second.isRouting());

    Random random = new Random(11);
    try (KafkaProducer<String, byte[]> producer = PipelineFixture.producer(KAFKA)) {
      for (int i = 0; i < REQUESTS; i++) {
        PipelineFixture.send(producer, PipelineFixture.request(
            "req-" + i, 64 + random.nextInt(900), 16 + random.nextInt(100)));
        if (i == REQUESTS / 3) {
          producer.flush();
          await("the first router has routed something", LIMIT, () -> first.routed() > 10);
          first.crashBeforeNextCommit();
        }
      }
      // an invalid request: no SLO
      var invalid = PipelineFixture.request("bad-1", 100, 10);
      invalid.setSloTtftMs(null);
      PipelineFixture.send(producer, invalid);
      producer.flush();
    }
    await("the first router died", LIMIT, first::isStopped);

    Map<String, Integer> decisions = new HashMap<>();
    Map<String, Integer> routed = new HashMap<>();
    Map<String, Integer> shed = new HashMap<>();
    Map<String, Integer> finished = new HashMap<>();
    List<DeadLetter> letters = new ArrayList<>();
    var decisionSerde = SpecificAvroSerde.forValues(RoutingDecision.class, NO_REGISTRY);
    var routedSerde = SpecificAvroSerde.forValues(RoutedRequest.class, NO_REGISTRY);
    var eventSerde = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
    var letterSerde = SpecificAvroSerde.forValues(DeadLetter.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(KAFKA, "check",
        List.of(Topics.ROUTING_DECISIONS.name(), Topics.REQUESTS_ROUTED.name(),
            Topics.ENGINE_REQUESTS.name(), Topics.DEAD_LETTERS.name()))) {
      await("every request decided, and every routed one finished", LIMIT, () -> {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          switch (r.topic()) {
            case "synergy.routing.decisions" -> {
              RoutingDecision d = decisionSerde.deserialize(r.topic(), r.value());
              decisions.merge(d.getRequestId(), 1, Integer::sum);
              if (d.getOutcome() == DecisionOutcome.SHED) {
                shed.merge(d.getRequestId(), 1, Integer::sum);
              }
            }
            case "synergy.requests.routed" -> routed.merge(
                routedSerde.deserialize(r.topic(), r.value()).getRequest().getRequestId(), 1,
                Integer::sum);
            case "synergy.engine.requests" -> {
              RequestEvent e = eventSerde.deserialize(r.topic(), r.value());
              if (e.getType() == RequestEventType.FINISHED) {
                finished.merge(e.getRequestId(), 1, Integer::sum);
              }
            }
            default -> letters.add(letterSerde.deserialize(r.topic(), r.value()));
          }
        }
        return decisions.size() == REQUESTS && finished.size() + shed.size() == REQUESTS
            && !letters.isEmpty();
      });
    }
    assertThat(decisions.values()).as("one decision per request").containsOnly(1);
    assertThat(routed.values()).as("at most one routed record per request").containsOnly(1);
    assertThat(routed.size() + shed.size()).isEqualTo(REQUESTS);
    assertThat(finished.values()).as("each routed request finished once").containsOnly(1);
    assertThat(finished.keySet()).isEqualTo(routed.keySet());
    assertThat(letters).extracting(DeadLetter::getError)
        .anySatisfy(e -> assertThat(e).contains("missing SLO"));
    assertThat(second.routed()).isGreaterThan(0);
    assertThat(second.scrapeMetrics()).contains("synergy_router_decisions_total");

    // the trainer has learned every step the engines published, and predicts them well
    Map<String, Long> stepsPublished = new HashMap<>();
    var stepSerde = SpecificAvroSerde.forValues(StepTelemetry.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> reader = PipelineFixture.committedReader(KAFKA, "steps",
        List.of(Topics.ENGINE_STEPS.name()))) {
      await("the trainer learned every step", LIMIT, () -> {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
          stepsPublished.merge(r.key(), stepSerde.deserialize(r.topic(), r.value()).getStepIndex() + 1,
              Math::max);
        }
        try {
          return trainer.queries().allEngines().stream()
              .filter(v -> engines.contains(v.engineId()) && v.model() != null
                  && v.model().samples() == stepsPublished.getOrDefault(v.engineId(), -1L))
              .count() == engines.size();
        } catch (QueryNotReadyException e) {
          return false;
        }
      });
    }
    for (EngineSnapshot view : trainer.queries().allEngines()) {
      if (engines.contains(view.engineId())) {
        assertThat(view.model().samples()).as("steps of %s", view.engineId()).isGreaterThan(100);
        assertThat(view.model().recentMape()).as("recent MAPE of %s", view.engineId())
            .isLessThan(0.10);
      }
    }
  }

  private RouterConsumer router(String instance, ModelTrainer trainer) throws Exception {
    return RouterConsumer.start(RouterConsumerConfig.fromSettings(Map.of(
        RouterConsumerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        RouterConsumerConfig.INSTANCE_ID, instance,
        RouterConsumerConfig.POLICY, "prism",
        RouterConsumerConfig.TRAINER_URL,
        PipelineFixture.trainerUrl(trainer),
        "kafka.transaction.timeout.ms", "3000",
        "kafka.session.timeout.ms", "6000",
        "synergy.http.token", PipelineFixture.TOKEN)));
  }
}
