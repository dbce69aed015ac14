package io.synergysched.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.Await;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.topologies.StoreNames;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two model-trainer instances on a real broker: shared answers, and failover from the changelog. */
@Timeout(300) // a hang guard, not a speed assertion
class ModelTrainerIT {

  private static final String TOKEN = "model-trainer-it-token-0123456789";

  private static final int ENGINES = 8;
  private static final int STEPS = 150;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path stateDir;

  private final List<ModelTrainer> running = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stopAll() {
    running.forEach(ModelTrainer::close);
  }

  @Test
  void shouldAnswerForEveryEngineWhenAskingEitherInstance() throws Exception {
    ModelTrainer a = start("answers", "a");
    ModelTrainer b = start("answers", "b");
    awaitRunning(a, b);
    List<String> engines = produceSteps("answers");
    // two engines that registered and have not run a step yet: listed too, with their registration
    List<String> idle = List.of("answers-idle-0", "answers-idle-1");
    produceDescriptors(idle);

    awaitAllEnginesLearned(a, engines);
    for (ModelTrainer asked : List.of(a, b)) {
      await("the idle engines listed", () -> {
        try {
          return only(idle, getAll(asked)).size() == idle.size();
        } catch (Exception e) {
          return false;
        }
      });
      List<EngineSnapshot> listed = only(idle, getAll(asked));
      assertThat(listed).extracting(EngineSnapshot::engineId).containsExactlyElementsOf(idle);
      assertThat(listed).allSatisfy(v -> {
        assertThat(v.status()).as("status of %s before a step", v.engineId()).isNull();
        assertThat(v.model()).isNull();
        assertThat(v.registration().gpu()).isEqualTo("a100");
        assertThat(v.registration().model()).isEqualTo("llama-2-7b");
        assertThat(v.registration().maxModelLen()).isEqualTo(4096);
      });
      assertThat(getOne(asked, idle.get(0)).registration().scheduler()).isEqualTo("vllm-default");
    }
    for (ModelTrainer asked : List.of(a, b)) {
      List<EngineSnapshot> all = only(engines, getAll(asked));
      assertThat(all).extracting(EngineSnapshot::engineId).containsExactlyElementsOf(engines);
      for (String engine : engines) {
        EngineSnapshot one = getOne(asked, engine);
        assertThat(one.model().samples()).isEqualTo(STEPS);
        assertThat(one.status().lastStepIndex()).isEqualTo(STEPS - 1);
      }
    }
    // both instances own some engines, so some answers were forwarded
    assertThat(only(engines, getAll(a))).extracting(EngineSnapshot::servedBy)
        .containsOnly(hostOf(a), hostOf(b))
        .contains(hostOf(a), hostOf(b));
  }

  @Test
  void shouldServeModelsRestoredFromTheChangelogWhenAnInstanceStops() throws Exception {
    ModelTrainer a = start("failover", "a");
    ModelTrainer b = start("failover", "b");
    awaitRunning(a, b);
    List<String> engines = produceSteps("failover");
    awaitAllEnginesLearned(a, engines);
    Map<String, StepLatencyModelState> before = new HashMap<>();
    List<String> ownedByA = new ArrayList<>();
    for (EngineSnapshot view : only(engines, getAll(b))) {
      before.put(view.engineId(), view.decodeModelState());
      if (view.servedBy().equals(hostOf(a))) {
        ownedByA.add(view.engineId());
      }
    }
    assertThat(ownedByA).isNotEmpty();
    long restoredBefore = b.restoredRecords(StoreNames.MODELS);

    a.close();
    running.remove(a);

    await("instance b serves every engine itself", () -> {
      try {
        // with a model: every instance lists every registered engine (a global store)
        return only(engines, b.queries().localEngines()).stream()
            .filter(v -> v.model() != null).count() == ENGINES;
      } catch (QueryNotReadyException e) {
        return false;
      }
    });
    assertThat(b.restoredRecords(StoreNames.MODELS)).isGreaterThan(restoredBefore);
    for (EngineSnapshot view : only(engines, getAll(b))) {
      assertThat(view.servedBy()).isEqualTo(hostOf(b));
      // exactly the state a had: restored from the changelog, not refitted from zero
      assertThat(view.decodeModelState()).isEqualTo(before.get(view.engineId()));
    }
  }

  private ModelTrainer start(String app, String instance) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(ModelTrainerConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
    settings.put(ModelTrainerConfig.APPLICATION_ID, "it-" + app);
    settings.put(ModelTrainerConfig.STATE_DIR, stateDir.resolve(app + "-" + instance).toString());
    settings.put(ModelTrainerConfig.IQ_PORT, "0");
    settings.put(ModelTrainerConfig.TOPIC_PARTITIONS, "4");
    settings.put("kafka.session.timeout.ms", "10000");
    settings.put("synergy.http.token", TOKEN);
    ModelTrainer trainer = ModelTrainer.start(ModelTrainerConfig.fromSettings(settings));
    running.add(trainer);
    return trainer;
  }

  private void awaitRunning(ModelTrainer... trainers) {
    await("instances running", () -> {
      for (ModelTrainer t : trainers) {
        if (t.state() != KafkaStreams.State.RUNNING) {
          return false;
        }
      }
      return true;
    });
  }

  /** Steps of ENGINES engines with a prefix of their own, so tests do not see each other's. */
  private void produceDescriptors(List<String> engines) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    SpecificAvroSerde<EngineDescriptor> serde =
        SpecificAvroSerde.forValues(EngineDescriptor.class, (SchemaRegistryClient) null);
    long now = System.currentTimeMillis();
    try (KafkaProducer<String, EngineDescriptor> producer =
        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      for (String engine : engines) {
        producer.send(new ProducerRecord<>(Topics.ENGINE_REGISTRY.name(), engine,
            EngineDescriptor.newBuilder().setEngineId(engine).setGpu("a100").setModel("llama-2-7b")
                .setTensorParallel(1).setKvBlocksTotal(2000).setBlockSizeTokens(16)
                .setMaxNumBatchedTokens(8192).setMaxNumSeqs(256).setMaxModelLen(4096)
                .setScheduler("vllm-default").setStartedAtMs(now).setHeartbeatMs(now).build()));
      }
      producer.flush();
    }
  }

  private List<String> produceSteps(String prefix) throws Exception {
    List<String> engines = new ArrayList<>();
    for (int e = 0; e < ENGINES; e++) {
      engines.add(prefix + "-engine-" + e);
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    Random random = new Random(42);
    SpecificAvroSerde<StepTelemetry> serde =
        SpecificAvroSerde.forValues(StepTelemetry.class, (SchemaRegistryClient) null);
    try (KafkaProducer<String, StepTelemetry> producer =
        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      long time = 1_700_000_000_000L;
      for (int i = 0; i < STEPS; i++) {
        for (String engine : engines) {
          int prefill = random.nextBoolean() ? 0 : 64 + random.nextInt(1024);
          int decodes = 1 + random.nextInt(64);
          long context = (long) decodes * (100 + random.nextInt(900));
          long durationUs = 9_000 + 40L * prefill + 20L * decodes + context / 50;
          producer.send(new ProducerRecord<>(Topics.ENGINE_STEPS.name(), engine,
              StepTelemetry.newBuilder()
                  .setEngineId(engine).setStepIndex(i).setStartTimeMs(time + i * 50L)
                  .setDurationUs(durationUs).setPrefillTokens(prefill)
                  .setPrefillChunks(prefill == 0 ? 0 : 1)
                  .setPrefillChunkSqSum((long) prefill * prefill).setPrefillCachedContext(0)
                  .setDecodeSeqs(decodes).setDecodeContextSum(context).setKvBlocksUsed(100)
                  .setKvBlocksTotal(4000).setWaiting(1).setRunning(decodes).setPreemptions(0)
                  .build()));
        }
      }
      producer.flush();
    }
    return engines;
  }

  private void awaitAllEnginesLearned(ModelTrainer trainer, List<String> engines) {
    Map<String, Long> lastSeen = new java.util.TreeMap<>();
    try {
      await("every engine learned all its steps", () -> {
        try {
          List<EngineSnapshot> all = only(engines, trainer.queries().allEngines());
          lastSeen.clear();
          all.forEach(v -> lastSeen.put(v.engineId(), v.model() == null ? -1 : v.model().samples()));
          return all.size() == engines.size()
              && all.stream().allMatch(v -> v.model() != null && v.model().samples() == STEPS);
        } catch (QueryNotReadyException e) {
          return false;
        }
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; samples per engine last seen: " + lastSeen, e);
    }
  }

  /** The views of these engines: the steps topic also holds the other test's engines. */
  private static List<EngineSnapshot> only(List<String> engines, List<EngineSnapshot> views) {
    return views.stream().filter(v -> engines.contains(v.engineId())).toList();
  }

  private List<EngineSnapshot> getAll(ModelTrainer trainer) throws Exception {
    return List.of(json.readValue(get(trainer, "/engines"), EngineSnapshot[].class));
  }

  private EngineSnapshot getOne(ModelTrainer trainer, String engine) throws Exception {
    return json.readValue(get(trainer, "/engines/" + engine), EngineSnapshot.class);
  }

  private static String get(ModelTrainer trainer, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + hostOf(trainer) + path))
            .header("Authorization", "Bearer " + TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }

  private static String hostOf(ModelTrainer trainer) {
    return trainer.advertised().host() + ":" + trainer.advertised().port();
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, DEADLINE, condition);
  }
}
