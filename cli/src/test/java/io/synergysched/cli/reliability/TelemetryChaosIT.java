package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.SloWindow;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.trainer.ModelTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under load, two more engines publish telemetry the hard way: one's clock runs 40 s ahead, the
 * other's 40 s behind; their steps and request events arrive shuffled (out of order) and a tenth of
 * them ten seconds late, with record timestamps from the skewed clocks (which move the trainer's
 * stream time). The models stay sane (every step learned once, the fit on a known truth within
 * 10%, the status at the newest step whatever the arrival order) and so do the SLO windows (every
 * FINISHED or REJECTED event counted in exactly one published window, every window well formed),
 * while the real pipeline routes every request exactly once.
 */
@Timeout(300) // a hang guard, not a speed assertion
class TelemetryChaosIT {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final int STEPS = 600;
  private static final int REQUESTS = 200;
  private static final Map<String, Long> SKEW_MS = Map.of("chaos-ahead", 40_000L, "chaos-behind", -40_000L);

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  /** The truth the chaos engines' step times follow (us), which their models must learn. */
  static long truthUs(int prefill, int decodeSeqs, long decodeContext) {
    return 8_000 + 60L * prefill + 30L * decodeSeqs + decodeContext / 50;
  }

  @Test
  void shouldKeepModelsAndSloWindowsSaneUnderLateOutOfOrderSkewedTelemetry() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "tc", (short) 1, Map.of())) {
      ModelTrainer trainer = h.pipeline.startTrainer("trainer", Map.of());
      EngineConnector connector =
          h.pipeline.startConnector("engines", "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2", Map.of());
      RouterConsumer router = h.pipeline.startRouter("r1", "prism", trainer, Map.of());
      LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
          () -> connector.isReading() && router.isRouting());

      Map<String, Integer> eventsPublished = new HashMap<>();
      LoadGenerator.Plan plan = new LoadGenerator.Plan("tc", 120, 20_000);
      LoadReport report = h.underLoad(plan, Duration.ofSeconds(3),
          () -> publishChaos(eventsPublished));

      // models: one sample per step, the newest step in the status, the truth learned
      LoadPipeline.await("the chaos engines' models learned every step", Duration.ofSeconds(60), () -> {
        try {
          return SKEW_MS.keySet().stream().allMatch(id -> trainer.queries().engine(id)
              .map(v -> v.model() != null && v.model().samples() == STEPS).orElse(false));
        } catch (QueryNotReadyException e) {
          return false;
        }
      });
      StringBuilder notes = new StringBuilder();
      for (String id : SKEW_MS.keySet()) {
        EngineSnapshot view = trainer.queries().engine(id).orElseThrow();
        assertThat(view.status().lastStepIndex()).as("status of %s is at its newest step", id)
            .isEqualTo(STEPS - 1);
        assertThat(view.model().recentMape()).as("recent MAPE of %s against the truth", id)
            .isLessThan(0.10);
        notes.append(String.format(Locale.ROOT, "%s: %d steps learned once, MAPE %.1f%%; ", id,
            view.model().samples(), 100 * view.model().recentMape()));
      }

      // SLO windows: every terminal event counted once, every window well formed
      Map<String, Integer> counted = new HashMap<>();
      List<SloWindow> windows = sloWindows(eventsPublished, counted);
      for (SloWindow w : windows) {
        assertThat(w.getWindowEndMs() - w.getWindowStartMs()).isEqualTo(10_000);
        assertThat(w.getFinished()).isNotNegative();
        assertThat(w.getRejected()).isNotNegative();
        assertThat(w.getBothMet()).isLessThanOrEqualTo(Math.min(w.getTtftMet(), w.getTpotMet()));
        assertThat(Math.max(w.getTtftMet(), w.getTpotMet())).isLessThanOrEqualTo(w.getFinished());
        Optional.ofNullable(w.getTtftP99Ms()).ifPresent(p -> assertThat(p).isNotNegative());
      }
      assertThat(counted).as("terminal events counted in published windows, per engine")
          .isEqualTo(eventsPublished);
      notes.append(windows.size()).append(" SLO windows, every terminal event counted once");

      FaultTable.record("5-telemetry-chaos", "telemetry late (10 s), out of order, clocks +-40 s",
          "120/s x 20 s + 2 chaos engines", report, notes.toString());
      FaultHarness.assertExactlyAccounted(report, plan.total());
    }
  }

  /**
   * Publishes the chaos engines' steps and request events: shuffled, a tenth held back and sent
   * last, timestamps from skewed clocks; then one closing event per engine, 60 s of its event time
   * later, which publishes the window before it. {@code published} gets the terminal events per
   * engine (the closing ones excluded: their window stays open).
   */
  private static void publishChaos(Map<String, Integer> published) {
    var stepCodec = new AvroRecordCodec<>(StepTelemetry.class, NO_REGISTRY);
    var eventCodec = new AvroRecordCodec<>(RequestEvent.class, NO_REGISTRY);
    Random random = new Random(5);
    long now = System.currentTimeMillis();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    Map<String, Long> lastEventTime = new HashMap<>();
    for (Map.Entry<String, Long> engine : SKEW_MS.entrySet()) {
      String id = engine.getKey();
      long clock = now + engine.getValue();
      for (int i = 0; i < STEPS; i++) {
        int prefill = random.nextInt(4) == 0 ? 64 + random.nextInt(1500) : 0;
        int decodes = 1 + random.nextInt(64);
        long context = decodes * (100L + random.nextInt(900));
        long duration = truthUs(prefill, decodes, context);
        long start = clock + i * 25L;
        StepTelemetry step = StepTelemetry.newBuilder()
            .setEngineId(id).setStepIndex(i).setStartTimeMs(start).setDurationUs(duration)
            .setPrefillTokens(prefill).setPrefillChunks(prefill > 0 ? 1 : 0)
            .setPrefillChunkSqSum((long) prefill * prefill).setPrefillCachedContext(0)
            .setDecodeSeqs(decodes).setDecodeContextSum(context)
            .setKvBlocksUsed(100).setKvBlocksTotal(10_000).setWaiting(0).setRunning(decodes)
            .setPreemptions(0).build();
        records.add(new ProducerRecord<>(Topics.ENGINE_STEPS.name(), null, start, id,
            stepCodec.encode("unused", step)));
      }
      for (int r = 0; r < REQUESTS; r++) {
        long at = clock + r * 70L;
        boolean rejected = r % 10 == 9;
        RequestEvent event = RequestEvent.newBuilder()
            .setEngineId(id).setRequestId(id + "-req-" + r)
            .setType(rejected ? RequestEventType.REJECTED : RequestEventType.FINISHED)
            .setEventTimeMs(at).setArrivalTimeMs(at - 500).setPromptTokens(100).setOutputTokens(20)
            .setSloTtftMs(1000).setSloTpotMs(100)
            .setTtftUs(rejected ? null : 100_000L + random.nextInt(2_000_000))
            .setTpotUs(rejected ? null : 20_000L + random.nextInt(200_000))
            .setReason(rejected ? "chaos" : null)
            .build();
        records.add(new ProducerRecord<>(Topics.ENGINE_REQUESTS.name(), null, at, id,
            eventCodec.encode("unused", event)));
        published.merge(id, 1, Integer::sum);
        lastEventTime.merge(id, at, Math::max);
      }
    }
    Collections.shuffle(records, random);
    List<ProducerRecord<String, byte[]>> late = new ArrayList<>(records.subList(0, records.size() / 10));
    List<ProducerRecord<String, byte[]>> onTime = new ArrayList<>(records.subList(records.size() / 10, records.size()));
    Properties props = KAFKA.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : onTime) {
        producer.send(r);
      }
      producer.flush();
      sleep(10_000);
      for (ProducerRecord<String, byte[]> r : late) {
        producer.send(r);
      }
      producer.flush();
      for (String id : SKEW_MS.keySet()) {
        long at = lastEventTime.get(id) + 60_000;
        RequestEvent closing = RequestEvent.newBuilder()
            .setEngineId(id).setRequestId(id + "-closing").setType(RequestEventType.REJECTED)
            .setEventTimeMs(at).setArrivalTimeMs(at).setPromptTokens(1).setOutputTokens(0)
            .setReason("closing the last window").build();
        producer.send(new ProducerRecord<>(Topics.ENGINE_REQUESTS.name(), null, at, id,
            eventCodec.encode("unused", closing)));
      }
      producer.flush();
    }
  }

  /** The chaos engines' published SLO windows, once they account for every event published. */
  private static List<SloWindow> sloWindows(Map<String, Integer> published, Map<String, Integer> counted)
      throws InterruptedException {
    var serde = SpecificAvroSerde.forValues(SloWindow.class, NO_REGISTRY);
    List<SloWindow> windows = new ArrayList<>();
    Properties props = KAFKA.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "tc-windows");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.subscribe(List.of(Topics.SLO_WINDOWS.name()));
      try {
        LoadPipeline.await("the SLO windows count every chaos event", Duration.ofSeconds(60), () -> {
          for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            if (SKEW_MS.containsKey(r.key())) {
              SloWindow w = serde.deserialize(r.topic(), r.value());
              windows.add(w);
              counted.merge(r.key(), w.getFinished() + w.getRejected(), Integer::sum);
            }
          }
          return counted.equals(published);
        });
      } catch (IllegalStateException timedOut) {
        // the assertion on the counts says what is missing
      }
    }
    return windows;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
