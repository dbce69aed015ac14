package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.Await;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry recorded from one cluster and replayed into another rebuilds the same models. */
@Timeout(300) // a hang guard, not a speed assertion
class RecordReplayIT {

  private static final int ENGINES = 6;
  private static final int STEPS = 200;

  @RegisterExtension
  static final KafkaClusterExtension LIVE = KafkaClusterExtension.withBrokers(1);

  @RegisterExtension
  static final KafkaClusterExtension REPLAY = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldRebuildModelsEqualToTheLiveOnesWhenTelemetryIsReplayed() throws Exception {
    Map<String, StepLatencyModelState> live;
    try (ModelTrainer trainer = trainer(LIVE, "live")) {
      produceSteps(LIVE.bootstrapServers());
      live = awaitModels(trainer);
    }
    Path file = dir.resolve("steps.avro");
    var counts = TopicRecording.record(LIVE.clientProperties(), null,
        List.of(Topics.ENGINE_STEPS.name()), file);
    assertThat(counts).containsEntry(Topics.ENGINE_STEPS.name(), (long) ENGINES * STEPS);
    assertThat(TelemetryAudit.readSteps(file)).as("the audit reads recorded telemetry")
        .hasSize(ENGINES * STEPS);

    Map<String, StepLatencyModelState> replayed;
    try (ModelTrainer trainer = trainer(REPLAY, "replay")) {
      long sent = TopicRecording.replay(REPLAY.clientProperties(), (SchemaRegistryClient) null,
          file, Topics.ENGINE_STEPS.name(), 0, System::nanoTime);
      assertThat(sent).isEqualTo((long) ENGINES * STEPS);
      replayed = awaitModels(trainer);
    }

    assertThat(replayed.keySet()).isEqualTo(live.keySet());
    live.forEach((engine, state) ->
        assertThat(replayed.get(engine)).as("model of %s", engine).isEqualTo(state));
  }

  private ModelTrainer trainer(KafkaClusterExtension kafka, String name) throws Exception {
    return ModelTrainer.start(ModelTrainerConfig.fromSettings(Map.of(
        ModelTrainerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        ModelTrainerConfig.APPLICATION_ID, "record-replay-" + name,
        ModelTrainerConfig.STATE_DIR, dir.resolve(name).toString(),
        ModelTrainerConfig.IQ_PORT, "0",
        ModelTrainerConfig.TOPIC_PARTITIONS, "3",
        "synergy.http.token", "record-replay-it-token-0123456789")));
  }

  private static void produceSteps(String bootstrap) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    Random random = new Random(3);
    var serde = SpecificAvroSerde.forValues(StepTelemetry.class, (SchemaRegistryClient) null);
    try (KafkaProducer<String, StepTelemetry> producer =
        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      long time = 1_700_000_000_000L;
      for (int i = 0; i < STEPS; i++) {
        for (int e = 0; e < ENGINES; e++) {
          String engine = "engine-" + e;
          int prefill = random.nextBoolean() ? 0 : 32 + random.nextInt(2000);
          int decodes = 1 + random.nextInt(100);
          long context = (long) decodes * (50 + random.nextInt(2000));
          long duration = Math.round((1 + e * 0.3) * (8_000 + 30.0 * prefill + 25.0 * decodes
              + context / 40.0) * (0.97 + 0.06 * random.nextDouble()));
          long start = time + i * 40L;
          producer.send(new ProducerRecord<>(Topics.ENGINE_STEPS.name(), null, start, engine,
              StepTelemetry.newBuilder()
                  .setEngineId(engine).setStepIndex(i).setStartTimeMs(start)
                  .setDurationUs(duration).setPrefillTokens(prefill)
                  .setPrefillChunks(prefill == 0 ? 0 : 1)
                  .setPrefillChunkSqSum((long) prefill * prefill).setPrefillCachedContext(0)
                  .setDecodeSeqs(decodes).setDecodeContextSum(context).setKvBlocksUsed(10)
                  .setKvBlocksTotal(1000).setWaiting(0).setRunning(decodes).setPreemptions(0)
                  .build()));
        }
      }
      producer.flush();
    }
  }

  private static Map<String, StepLatencyModelState> awaitModels(ModelTrainer trainer) {
    Map<String, StepLatencyModelState> models = new TreeMap<>();
    await(() -> {
      try {
        List<EngineSnapshot> views = trainer.queries().allEngines();
        if (views.size() != ENGINES
            || !views.stream().allMatch(v -> v.model() != null && v.model().samples() == STEPS)) {
          return false;
        }
        views.forEach(v -> models.put(v.engineId(), v.decodeModelState()));
        return true;
      } catch (QueryNotReadyException e) {
        return false;
      }
    });
    return models;
  }

  private static void await(BooleanSupplier condition) {
    Await.until("the models are learned", Duration.ofSeconds(120), condition);
  }
}
