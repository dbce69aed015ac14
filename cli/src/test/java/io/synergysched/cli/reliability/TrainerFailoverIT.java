package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.topologies.StoreNames;
import io.synergysched.trainer.ModelTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two model-trainer instances share the telemetry partitions; under load one is stopped and the
 * other takes over its partitions, restoring the engines' models from the changelog. Routing goes
 * on, no request is lost, and the survivor's models have learned every step the engines published,
 * each exactly once (a step learned twice or skipped would show in the sample counts).
 */
@Timeout(300) // a hang guard, not a speed assertion
class TrainerFailoverIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldServeEveryModelFromTheChangelogWhenATrainerStops() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "tf", (short) 1, Map.of())) {
      ModelTrainer a = h.pipeline.startTrainer("trainer-a", Map.of());
      ModelTrainer b = h.pipeline.startTrainer("trainer-b", Map.of());
      EngineConnector connector =
          h.pipeline.startConnector("engines", "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2", Map.of());
      List<String> engines = List.copyOf(connector.engines().keySet());
      RouterConsumer router = h.pipeline.startRouter("r1", "prism", a, Map.of());
      LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
          () -> connector.isReading() && router.isRouting()
              && a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING);

      // the victim is a trainer that holds models by then, so the survivor has state to take
      // over; the one the router does not poll when both do (the router's polls otherwise fail
      // over to nothing: it keeps its last snapshot and its own telemetry feed)
      AtomicReference<ModelTrainer> victim = new AtomicReference<>();
      LoadGenerator.Plan plan = new LoadGenerator.Plan("tf", 150, 20_000);
      LoadReport report = h.underLoad(plan, Duration.ofSeconds(6), () -> {
        LoadPipeline.await("a trainer holds models", Duration.ofSeconds(30),
            () -> localEngines(a) > 0 || localEngines(b) > 0);
        // and has committed them: a model still in an open transaction is not on the changelog
        // yet (on a loaded machine the first commit can come late), and the survivor would
        // rebuild it from the telemetry instead of restoring it
        LoadPipeline.await("the models' changelog committed", Duration.ofSeconds(30),
            TrainerFailoverIT::modelChangelogCommitted);
        victim.set(localEngines(b) > 0 ? b : a);
        h.pipeline.stop(victim.get());
      });
      ModelTrainer survivor = victim.get() == a ? b : a;

      // the survivor has every engine's model, restored and continued: one sample per step
      Map<String, Long> published = stepsPublished();
      LoadPipeline.await("the survivor learned every step", Duration.ofSeconds(60), () -> {
        try {
          return survivor.queries().allEngines().stream()
              .filter(v -> engines.contains(v.engineId()) && v.model() != null
                  && v.model().samples() == published.getOrDefault(v.engineId(), -1L))
              .count() == engines.size();
        } catch (QueryNotReadyException e) {
          return false;
        }
      });
      long restored = survivor.restoredRecords(StoreNames.MODELS);
      FaultTable.record("2-trainer-failover", "model-trainer stopped (1 of 2), survivor takes over",
          "150/s x 20 s", report, restored + " model-store records restored from the changelog;"
              + " every step learned once" + (victim.get() == a ? "; the victim was the trainer"
              + " the router polled" : ""));
      FaultHarness.assertExactlyAccounted(report, plan.total());
      assertThat(restored).as("model records restored from the changelog").isPositive();
      for (EngineSnapshot view : survivor.queries().allEngines()) {
        if (engines.contains(view.engineId())) {
          // still a fitted model (one restarted cold would not be); the bound is loose because
          // wall-clock engines on a busy machine measure scheduling jitter too
          assertThat(view.model().recentMape()).as("recent MAPE of %s", view.engineId())
              .isLessThan(0.20);
        }
      }
    }
  }

  /** Engines whose models this trainer holds, -1 while it cannot say. */
  private static int localEngines(ModelTrainer trainer) {
    if (trainer.state() != KafkaStreams.State.RUNNING) {
      return -1;
    }
    try {
      // engines whose model it holds: every instance lists every registered engine (the
      // registry is a global store), with a model only where it owns the engine's steps
      return (int) trainer.queries().localEngines().stream().filter(v -> v.model() != null).count();
    } catch (QueryNotReadyException e) {
      return -1;
    }
  }

  /**
   * True once every partition of the models' changelog that has records has some committed
   * (its last stable offset is past 0).
   */
  private static boolean modelChangelogCommitted() {
    try (Admin admin = KAFKA.admin()) {
      List<String> changelogs = admin.listTopics().names().get().stream()
          .filter(t -> t.endsWith("-" + StoreNames.MODELS + "-changelog")).toList();
      if (changelogs.isEmpty()) {
        return false;
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(changelogs).allTopicNames().get().forEach((name, d) -> d.partitions()
          .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      var uncommitted = admin.listOffsets(latest,
          new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
      var committed = admin.listOffsets(latest,
          new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
      boolean any = false;
      for (TopicPartition tp : latest.keySet()) {
        if (uncommitted.get(tp).offset() > 0) {
          any = true;
          if (committed.get(tp).offset() == 0) {
            return false;
          }
        }
      }
      return any;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    }
  }

  /** Per engine, the number of steps on the steps topic (highest step index + 1). */
  private static Map<String, Long> stepsPublished() {
    Map<String, Long> steps = new HashMap<>();
    var serde = SpecificAvroSerde.forValues(StepTelemetry.class, (SchemaRegistryClient) null);
    Properties props = KAFKA.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "tf-steps");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.subscribe(List.of(Topics.ENGINE_STEPS.name()));
      int emptyPolls = 0;
      while (emptyPolls < 10) {
        var records = reader.poll(Duration.ofMillis(300));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<String, byte[]> r : records) {
          steps.merge(r.key(), serde.deserialize(r.topic(), r.value()).getStepIndex() + 1, Math::max);
        }
      }
    }
    return steps;
  }
}
