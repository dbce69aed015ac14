package io.synergysched.connector;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.schemas.BudgetPoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.Await;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.topologies.TopicProvisioner;
import io.synergysched.runtime.mapping.LensHintMapping;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine-connector with four simulated engines of two GPU types on a real broker, next to a
 * model-trainer: routed requests are served exactly once, their telemetry teaches the models, and
 * bad input is dead-lettered. And the LENS loop: the trainer plans hints from the telemetry of
 * engines running {@code lens}, the connector applies them (each engine's scheduler reports the hint
 * it applied, with the trainer's model version), malformed control records are dead-lettered, and
 * once the trainer stops the engines fall back to their defaults when the last hint's TTL ends.
 */
@Timeout(300) // a hang guard, not a speed assertion
class EngineConnectorIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final SchemaRegistryClient NO_REGISTRY = null;
  /** Hint lifetime of the LENS test's trainer. */
  private static final long TTL_MS = 4_000;

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path stateDir;

  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void topics() throws Exception {
    try (Admin admin = KAFKA.admin()) {
      TopicProvisioner.ensureTopics(admin, 4, (short) 1);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void shouldServeEveryRoutedRequestExactlyOnceAndTeachTheModelsWhenEnginesRun() throws Exception {
    ModelTrainer trainer = ModelTrainer.start(ModelTrainerConfig.fromSettings(Map.of(
        ModelTrainerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        ModelTrainerConfig.APPLICATION_ID, "connector-it-trainer",
        ModelTrainerConfig.STATE_DIR, stateDir.resolve("trainer").toString(),
        ModelTrainerConfig.IQ_PORT, "0",
        "synergy.http.token", "connector-it-token-0123456789")));
    running.add(trainer);
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "it1",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2",
        EngineConnectorConfig.SPEED, "10",
        EngineConnectorConfig.NOISE_SIGMA, "0.03",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    List<String> engines = List.copyOf(connector.engines().keySet());
    assertThat(engines).hasSize(4);

    int requests = 300;
    Random random = new Random(7);
    List<ProducerRecord<String, byte[]>> routed = new ArrayList<>();
    var codec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
    for (int i = 0; i < requests; i++) {
      String engine = engines.get(i % engines.size());
      routed.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine,
          codec.encode("unused", routed(engine, "it1-req-" + i, 64 + random.nextInt(1500),
              8 + random.nextInt(120)))));
    }
    // one record that is not a routed request, and one with an impossible token count
    routed.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engines.get(0),
        "garbage".getBytes(StandardCharsets.UTF_8)));
    routed.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engines.get(1),
        codec.encode("unused", routed(engines.get(1), "it1-bad", -5, 10))));
    produce(routed);

    Map<String, Integer> finished = new HashMap<>();
    List<RequestEvent> rejected = new ArrayList<>();
    List<DeadLetter> letters = new ArrayList<>();
    Map<String, EngineDescriptor> registry = new HashMap<>();
    Map<String, Long> steps = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer("it1-check")) {
      consumer.subscribe(List.of(Topics.ENGINE_REQUESTS.name(), Topics.DEAD_LETTERS.name(),
          Topics.ENGINE_REGISTRY.name(), Topics.ENGINE_STEPS.name()));
      var stepSerde = SpecificAvroSerde.forValues(StepTelemetry.class, NO_REGISTRY);
      var events = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
      var dlq = SpecificAvroSerde.forValues(DeadLetter.class, NO_REGISTRY);
      var descriptors = SpecificAvroSerde.forValues(EngineDescriptor.class, NO_REGISTRY);
      await("every request finished", () -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          switch (r.topic()) {
            case "synergy.engine.requests" -> {
              RequestEvent e = events.deserialize(r.topic(), r.value());
              if (e.getRequestId().startsWith("it1-") && e.getType() == RequestEventType.FINISHED) {
                finished.merge(e.getRequestId(), 1, Integer::sum);
              } else if (e.getRequestId().startsWith("it1-")
                  && e.getType() == RequestEventType.REJECTED) {
                rejected.add(e);
              }
            }
            case "synergy.dlq" -> letters.add(dlq.deserialize(r.topic(), r.value()));
            case "synergy.engine.steps" -> steps.merge(
                r.key(), stepSerde.deserialize(r.topic(), r.value()).getStepIndex() + 1, Math::max);
            default -> {
              if (r.value() != null) {
                registry.put(r.key(), descriptors.deserialize(r.topic(), r.value()));
              }
            }
          }
        }
        return finished.size() == requests && letters.size() == 2;
      });
    }
    assertThat(finished.values()).as("each request finished once").containsOnly(1);
    assertThat(rejected).isEmpty();
    assertThat(letters).extracting(DeadLetter::getError)
        .anySatisfy(e -> assertThat(e).contains("unknown framing"))
        .anySatisfy(e -> assertThat(e).contains("promptTokens must be in [1, 10000000]"));
    assertThat(registry.keySet()).containsAll(engines);
    assertThat(registry.get(engines.get(3)).getGpu()).isEqualTo("h100");
    assertThat(connector.publisher().dropped()).isZero();

    // the trainer learned every step of every engine from the connector's telemetry
    await("models learned every step", () -> {
      try {
        return trainer.queries().allEngines().stream()
            .filter(v -> engines.contains(v.engineId()) && v.model() != null
                && v.model().samples() == steps.get(v.engineId()))
            .count() == engines.size();
      } catch (QueryNotReadyException e) {
        return false;
      }
    });
    for (EngineSnapshot view : trainer.queries().allEngines()) {
      if (engines.contains(view.engineId())) {
        assertThat(view.model().samples()).as(view.engineId()).isGreaterThan(100);
        // the model predicts each step before learning it: its recent error is out of sample
        assertThat(view.model().recentMape()).as("recent MAPE of %s", view.engineId())
            .isLessThan(0.10);
      }
    }
  }

  @Test
  void shouldRetireAStoppedEngineAndRejectItsInFlightRequests() throws Exception {
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "it2",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1",
        EngineConnectorConfig.SPEED, "1",
        EngineConnectorConfig.HEARTBEAT_MS, "100")));
    running.add(connector);
    String engine = connector.engines().keySet().iterator().next();
    var codec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
    // long requests at real speed: still running when the engine stops
    List<ProducerRecord<String, byte[]>> routed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      routed.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine,
          codec.encode("unused", routed(engine, "it2-req-" + i, 1000, 2000))));
    }
    produce(routed);
    await("requests handed to the engine", () -> connector.delivered() == 5);

    connector.stopEngine(engine);

    List<String> rejectedIds = new ArrayList<>();
    boolean[] tombstone = {false};
    try (KafkaConsumer<String, byte[]> consumer = consumer("it2-check")) {
      consumer.subscribe(List.of(Topics.ENGINE_REQUESTS.name(), Topics.ENGINE_REGISTRY.name()));
      var events = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
      await("in-flight requests rejected and the engine retired", () -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (!engine.equals(r.key())) {
            continue;
          }
          if (r.topic().equals(Topics.ENGINE_REGISTRY.name())) {
            tombstone[0] = r.value() == null;
          } else {
            RequestEvent e = events.deserialize(r.topic(), r.value());
            if (e.getType() == RequestEventType.REJECTED) {
              rejectedIds.add(e.getRequestId());
            }
          }
        }
        return rejectedIds.size() == 5 && tombstone[0];
      });
    }
    assertThat(rejectedIds).containsExactlyInAnyOrder(
        "it2-req-0", "it2-req-1", "it2-req-2", "it2-req-3", "it2-req-4");
  }

  @Test
  void shouldReportAKilledRunsInFlightRequestsAndNotServeEndedOnesAgainWhenRestarted()
      throws Exception {
    Map<String, String> settings = Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "it3",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1",
        EngineConnectorConfig.SPEED, "1",
        EngineConnectorConfig.HEARTBEAT_MS, "100",
        EngineConnectorConfig.RECOVERY, "reject");
    EngineConnector first = EngineConnector.start(EngineConnectorConfig.fromSettings(settings));
    String engine = first.engines().keySet().iterator().next();
    var codec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
    List<ProducerRecord<String, byte[]>> longOnes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      longOnes.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine,
          codec.encode("unused", routed(engine, "it3-long-" + i, 1000, 2000))));
    }
    produce(longOnes);
    await("long requests handed to the engine", () -> first.delivered() == 4);
    Map<TopicPartition, Long> afterLong;
    try (KafkaConsumer<String, byte[]> c = consumer("it3-offsets")) {
      afterLong = c.endOffsets(c.partitionsFor(Topics.REQUESTS_ROUTED.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
    }
    List<ProducerRecord<String, byte[]>> shortOnes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      shortOnes.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine,
          codec.encode("unused", routed(engine, "it3-short-" + i, 64, 2))));
    }
    produce(shortOnes);

    Map<String, List<RequestEvent>> terminal = new HashMap<>();
    var events = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> consumer = consumer("it3-check");
        Admin admin = KAFKA.admin()) {
      consumer.subscribe(List.of(Topics.ENGINE_REQUESTS.name()));
      BooleanSupplier poll = () -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          RequestEvent e = events.deserialize(r.topic(), r.value());
          if (e.getRequestId().startsWith("it3-") && (e.getType() == RequestEventType.FINISHED
              || e.getType() == RequestEventType.REJECTED)) {
            terminal.computeIfAbsent(e.getRequestId(), k -> new ArrayList<>()).add(e);
          }
        }
        return true;
      };
      await("the short requests finished", () -> poll.getAsBoolean() && terminal.size() == 4);

      // killed: the long requests get no end event; then, as if the kill had come before the
      // reader committed the short ones, its group's offsets go back to just after the long ones
      first.crash();
      await("the killed run's group is rewound", () -> {
        try {
          admin.alterConsumerGroupOffsets("synergy-engine-connector-it3", afterLong.entrySet()
              .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                  en -> new OffsetAndMetadata(en.getValue())))).all().get();
          return true;
        } catch (Exception e) {
          return false; // the group is not empty yet
        }
      });

      EngineConnector second = EngineConnector.start(EngineConnectorConfig.fromSettings(settings));
      running.add(second);
      await("the restarted connector reads", second::isReading);
      produce(List.of(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine,
          codec.encode("unused", routed(engine, "it3-after", 64, 2)))));
      await("the long requests reported and a new request served", () -> poll.getAsBoolean()
          && terminal.size() == 9);
      assertThat(second.recoveredInFlight()).isEqualTo(4);
      // the reader read the short ones again (past the committed offset) and skipped them: ended
      assertThat(second.delivered()).as("requests the new run's reader served").isEqualTo(1);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(terminal.get("it3-long-" + i)).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo(RequestEventType.REJECTED);
        assertThat(e.getReason().toString())
            .isEqualTo(EngineConnectorConfig.Recovery.REJECT_REASON);
      });
      assertThat(terminal.get("it3-short-" + i)).singleElement()
          .extracting(RequestEvent::getType).isEqualTo(RequestEventType.FINISHED);
    }
    assertThat(terminal.get("it3-after")).singleElement()
        .extracting(RequestEvent::getType).isEqualTo(RequestEventType.FINISHED);
  }

  @Test
  void shouldApplyTheTrainersHintsAndFallBackToDefaultsWhenTheTrainerStops() throws Exception {
    ModelTrainer trainer = ModelTrainer.start(ModelTrainerConfig.fromSettings(Map.of(
        ModelTrainerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        ModelTrainerConfig.APPLICATION_ID, "lens-it-trainer",
        ModelTrainerConfig.STATE_DIR, stateDir.resolve("trainer").toString(),
        ModelTrainerConfig.IQ_PORT, "0",
        "synergy.http.token", "connector-it-token-0123456789",
        "synergy.lens.hint-ttl-ms", Long.toString(TTL_MS),
        "synergy.lens.refresh-after-ms", "2000",
        "synergy.lens.plan-interval-ms", "500")));
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "lens",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1*2",
        EngineConnectorConfig.SCHEDULER, "lens",
        EngineConnectorConfig.SPEED, "2",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    List<String> engines = List.copyOf(connector.engines().keySet());
    produce(requests(engines, "a", 6));

    // hints from the trainer reach both engines and their schedulers apply them
    Map<String, Map<Long, Long>> published = new HashMap<>(); // engine -> hint version -> model version
    Map<String, Long> lastValidUntil = new HashMap<>();
    List<DeadLetter> letters = new ArrayList<>();
    Map<String, Long> stepHintVersion = new HashMap<>();
    var hintSerde = SpecificAvroSerde.forValues(io.synergysched.schemas.LensHint.class, NO_REGISTRY);
    var dlq = SpecificAvroSerde.forValues(DeadLetter.class, NO_REGISTRY);
    var stepSerde = SpecificAvroSerde.forValues(StepTelemetry.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> consumer = consumer("lens-it-check")) {
      consumer.subscribe(List.of(Topics.CONTROL_LENS.name(), Topics.DEAD_LETTERS.name(), Topics.ENGINE_STEPS.name()));
      BooleanSupplier poll = () -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(Topics.DEAD_LETTERS.name())) {
            letters.add(dlq.deserialize(r.topic(), r.value()));
          } else if (r.topic().equals(Topics.ENGINE_STEPS.name())) {
            stepHintVersion.put(r.key(), stepSerde.deserialize(r.topic(), r.value()).getLensHintVersion());
          } else if (r.value() != null && engines.contains(r.key())) {
            try {
              LensPlan h = LensHintMapping.toCore(hintSerde.deserialize(r.topic(), r.value()));
              published.computeIfAbsent(r.key(), k -> new HashMap<>()).put(h.hintVersion(), h.modelVersion());
              lastValidUntil.merge(r.key(), h.validUntilMs(), Math::max);
            } catch (RuntimeException e) {
              // the malformed records this test writes itself (not decodable, or not a valid hint)
            }
          }
        }
        return true;
      };
      await("both engines apply a hint the trainer published", () -> {
        poll.getAsBoolean();
        Map<String, LensPlan> applied = connector.appliedHints();
        return engines.stream().allMatch(e -> applied.containsKey(e)
            && published.getOrDefault(e, Map.of()).containsKey(applied.get(e).hintVersion()));
      });
      Map<String, LensPlan> applied = connector.appliedHints();
      for (String e : engines) {
        LensPlan hint = applied.get(e);
        assertThat(hint.modelVersion()).as("model version of %s's hint", e)
            .isEqualTo(published.get(e).get(hint.hintVersion())).isPositive();
        assertThat(hint.tokenBudgetAt(0)).isPositive();
      }
      await("steps carry the applied hint version", () -> poll.getAsBoolean()
          && engines.stream().allMatch(e -> stepHintVersion.getOrDefault(e, -1L) >= 1));

      // a record that is no hint, and a hint breaking its invariants, are dead-lettered
      var bad = io.synergysched.schemas.LensHint.newBuilder()
          .setEngineId(engines.get(0)).setHintVersion(1_000_000).setModelVersion(1)
          .setIssuedAtMs(System.currentTimeMillis()).setValidUntilMs(System.currentTimeMillis() + TTL_MS)
          .setTpotTargetMs(100).setTpotMarginMs(5).setBudgetCurve(List.of(new BudgetPoint(0, 0, 4096)))
          .setMaxNumSeqs(64).setChunkSizeTokens(256).setKvAdmissionWatermark(2.0).setPriorityPolicy("slack")
          .build();
      produce(List.of(
          new ProducerRecord<>(Topics.CONTROL_LENS.name(), engines.get(0), "garbage".getBytes(StandardCharsets.UTF_8)),
          new ProducerRecord<>(Topics.CONTROL_LENS.name(), engines.get(1),
              new AvroRecordCodec<>(io.synergysched.schemas.LensHint.class, NO_REGISTRY).encode("unused", bad))));
      await("malformed hints dead-lettered", () -> poll.getAsBoolean() && letters.stream()
          .filter(l -> l.getStage().equals(LensHintReader.STAGE)).count() == 2);
      assertThat(letters).filteredOn(l -> l.getStage().equals(LensHintReader.STAGE))
          .extracting(DeadLetter::getError)
          .anySatisfy(m -> assertThat(m).contains("unknown framing"))
          .anySatisfy(m -> assertThat(m).contains("kvAdmissionWatermark"));
      assertThat(connector.hintsDeadLettered()).isEqualTo(2);

      // the trainer stops: no refresh comes, and each engine falls back once its hint expires
      trainer.close();
      produce(requests(engines, "b", 6));
      await("engines back on their defaults", () -> {
        poll.getAsBoolean();
        return connector.appliedHints().isEmpty()
            && engines.stream().allMatch(e -> stepHintVersion.getOrDefault(e, 0L) == -1L);
      });
      long fellBackBy = System.currentTimeMillis();
      assertThat(connector.engines().values()).allMatch(EngineBackend::isHealthy);
      // the fallback is the TTL's doing: it came after the last published hint's lifetime ended
      for (String e : engines) {
        assertThat(fellBackBy).as("fallback of %s", e).isGreaterThan(lastValidUntil.get(e));
      }
    }
  }

  /**
   * At speed 1 the engines' event times are wall-clock times: a step or request event is published
   * within moments of the time it reports, no event of a request comes before its routing decision
   * or its arrival. The connector builds every backend (profiles, LENS prior fits) and its publisher
   * before starting them; engine clocks taken at construction ran that long behind.
   */
  @Test
  void shouldReportEventTimesOnTheWallClockWhenEnginesRunAtSpeedOne() throws Exception {
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        EngineConnectorConfig.CONNECTOR_ID, "clock",
        EngineConnectorConfig.ENGINES, "a100:llama-2-7b:tp1,h100:llama-2-7b:tp1",
        EngineConnectorConfig.SCHEDULER, "lens",
        EngineConnectorConfig.SPEED, "1",
        EngineConnectorConfig.HEARTBEAT_MS, "200")));
    running.add(connector);
    List<String> engines = List.copyOf(connector.engines().keySet());
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    var codec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
    Map<String, Long> routedAt = new HashMap<>();
    for (int i = 0; i < 8; i++) {
      String engine = engines.get(i % engines.size());
      RoutedRequest r = routed(engine, "clock-" + i, 200 + 50 * i, 12);
      routedAt.put("clock-" + i, r.getRoutedAtMs());
      records.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine, codec.encode("unused", r)));
    }
    produce(records);

    List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
    List<ConsumerRecord<String, byte[]>> steps = new ArrayList<>();
    var eventSerde = SpecificAvroSerde.forValues(RequestEvent.class, NO_REGISTRY);
    var stepSerde = SpecificAvroSerde.forValues(StepTelemetry.class, NO_REGISTRY);
    try (KafkaConsumer<String, byte[]> consumer = consumer("clock-check")) {
      consumer.subscribe(List.of(Topics.ENGINE_REQUESTS.name(), Topics.ENGINE_STEPS.name()));
      await("every request finished", () -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(Topics.ENGINE_STEPS.name())) {
            if (engines.contains(r.key())) {
              steps.add(r);
            }
          } else if (eventSerde.deserialize(r.topic(), r.value()).getRequestId().startsWith("clock-")) {
            events.add(r);
          }
        }
        return events.stream().filter(r -> eventSerde.deserialize(r.topic(), r.value()).getType()
            == RequestEventType.FINISHED).count() == routedAt.size();
      });
    }
    // publishing lags an event by the publisher's buffer and a send, never by seconds; an event
    // time after its record's timestamp would be a clock running ahead
    long toleranceMs = 500;
    assertThat(steps).isNotEmpty().allSatisfy(r -> assertThat(
        r.timestamp() - stepSerde.deserialize(r.topic(), r.value()).getStartTimeMs())
        .as("publish time minus start time of a step of %s", r.key())
        .isBetween(-20L, toleranceMs));
    for (ConsumerRecord<String, byte[]> r : events) {
      RequestEvent e = eventSerde.deserialize(r.topic(), r.value());
      assertThat(r.timestamp() - e.getEventTimeMs())
          .as("publish time minus event time of %s %s", e.getType(), e.getRequestId())
          .isBetween(-20L, toleranceMs);
      assertThat(e.getEventTimeMs()).as("%s of %s against its routing decision", e.getType(), e.getRequestId())
          .isGreaterThanOrEqualTo(routedAt.get(e.getRequestId()));
      assertThat(e.getEventTimeMs()).as("%s of %s against its arrival", e.getType(), e.getRequestId())
          .isGreaterThanOrEqualTo(e.getArrivalTimeMs());
    }
  }

  /** {@code perEngine} long requests per engine: they keep the engines stepping for a while. */
  private static List<ProducerRecord<String, byte[]>> requests(List<String> engines, String batch, int perEngine) {
    var codec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (String engine : engines) {
      for (int i = 0; i < perEngine; i++) {
        String id = "lens-" + batch + "-" + engine + "-" + i;
        records.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engine, codec.encode("unused",
            RoutedRequest.newBuilder().setEngineId(engine).setDecisionId("d-" + id).setRoutedAtMs(now)
                .setPolicy("test")
                .setRequest(InferenceRequest.newBuilder().setRequestId(id).setArrivalTimeMs(now)
                    .setPromptTokens(400 + 100 * i).setMaxOutputTokens(1500).setSloTtftMs(1000).setSloTpotMs(100)
                    .build())
                .build())));
      }
    }
    return records;
  }

  private static RoutedRequest routed(String engine, String id, int prompt, int output) {
    long now = System.currentTimeMillis();
    return RoutedRequest.newBuilder()
        .setEngineId(engine)
        .setDecisionId("d-" + id)
        .setRoutedAtMs(now)
        .setPolicy("test")
        .setRequest(InferenceRequest.newBuilder()
            .setRequestId(id)
            .setArrivalTimeMs(now)
            .setPromptTokens(prompt)
            .setMaxOutputTokens(output)
            .setSloTtftMs(1000)
            .setSloTpotMs(100)
            .build())
        .build();
  }

  private static void produce(List<ProducerRecord<String, byte[]>> records) {
    TopicIo.produce(KAFKA, records);
  }

  private static KafkaConsumer<String, byte[]> consumer(String group) {
    return TopicIo.consumer(KAFKA, group);
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, DEADLINE, condition);
  }
}
