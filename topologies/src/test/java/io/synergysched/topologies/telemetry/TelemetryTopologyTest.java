package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.ModelStateSerde;
import io.synergysched.runtime.mapping.TelemetryMapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.slo.SloTally;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.PerformanceModel;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.SloWindow;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.topologies.StoreNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTopologyTest {

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> steps;
  private TestInputTopic<String, byte[]> requests;
  private TestInputTopic<String, byte[]> registry;
  private TestOutputTopic<String, PerformanceModel> models;
  private TestOutputTopic<String, SloWindow> sloWindows;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  private final SpecificAvroSerde<StepTelemetry> stepSerde =
      SpecificAvroSerde.forValues(StepTelemetry.class, (io.synergysched.schemas.serde.SchemaRegistryClient) null);
  private final SpecificAvroSerde<RequestEvent> requestSerde =
      SpecificAvroSerde.forValues(RequestEvent.class, (io.synergysched.schemas.serde.SchemaRegistryClient) null);
  private final SpecificAvroSerde<EngineDescriptor> descriptorSerde =
      SpecificAvroSerde.forValues(EngineDescriptor.class, (io.synergysched.schemas.serde.SchemaRegistryClient) null);

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "telemetry-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(
        TelemetryTopology.build(TelemetryTopologyConfig.defaults(), null), props);
    steps = driver.createInputTopic(
        Topics.ENGINE_STEPS.name(), new StringSerializer(), new ByteArraySerializer());
    requests = driver.createInputTopic(
        Topics.ENGINE_REQUESTS.name(), new StringSerializer(), new ByteArraySerializer());
    registry = driver.createInputTopic(
        Topics.ENGINE_REGISTRY.name(), new StringSerializer(), new ByteArraySerializer());
    models = driver.createOutputTopic(
        Topics.MODELS.name(), new StringDeserializer(),
        SpecificAvroSerde.forValues(PerformanceModel.class, (io.synergysched.schemas.serde.SchemaRegistryClient) null));
    sloWindows = driver.createOutputTopic(
        Topics.SLO_WINDOWS.name(), new StringDeserializer(),
        SpecificAvroSerde.forValues(SloWindow.class, (io.synergysched.schemas.serde.SchemaRegistryClient) null));
    deadLetters = driver.createOutputTopic(
        Topics.DEAD_LETTERS.name(), new StringDeserializer(),
        SpecificAvroSerde.forValues(DeadLetter.class, (io.synergysched.schemas.serde.SchemaRegistryClient) null));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldLearnEachEnginesModelAndStatusWhenStepsArrive() {
    List<StepObservation> fast = SyntheticSteps.generate("h100-0", 400, 1, 2.5);
    List<StepObservation> slow = SyntheticSteps.generate("a100-0", 400, 2, 1.0);
    for (int i = 0; i < 400; i++) {
      pipe(fast.get(i));
      pipe(slow.get(i));
    }

    KeyValueStore<String, StepLatencyModelState> store = driver.getKeyValueStore(StoreNames.MODELS);
    StepLatencyModelState a100 = store.get("a100-0");
    StepLatencyModelState h100 = store.get("h100-0");
    assertThat(a100.sampleCount()).isEqualTo(400);
    assertThat(h100.sampleCount()).isEqualTo(400);

    // each engine has its own model: predict a fresh step on both and compare with the truth
    StepObservation probe = new StepObservation(
        "x", 0, 0, 1, 1024, 1, 1024L * 1024, 0, 0, 32, 32L * 1000, 0, 4000, 0, 33, 0, 8192);
    double truthA100 = SyntheticSteps.trueDurationUs(1024, 32, 32_000, 1.0);
    double truthH100 = SyntheticSteps.trueDurationUs(1024, 32, 32_000, 2.5);
    assertThat(StepLatencyModel.fromState(a100, TelemetryTopologyConfig.defaults().modelConfig())
        .predictUs(probe)).isCloseTo(truthA100, within(truthA100 * 0.05));
    assertThat(StepLatencyModel.fromState(h100, TelemetryTopologyConfig.defaults().modelConfig())
        .predictUs(probe)).isCloseTo(truthH100, within(truthH100 * 0.05));

    KeyValueStore<String, EngineStatus> statuses = driver.getKeyValueStore(StoreNames.ENGINE_STATUS);
    EngineStatus status = statuses.get("a100-0");
    StepObservation last = slow.get(399);
    assertThat(status.stepsSeen()).isEqualTo(400);
    assertThat(status.lastStepIndex()).isEqualTo(399);
    assertThat(status.waiting()).isEqualTo(last.waiting());
    assertThat(status.kvBlocksUsed()).isEqualTo(last.kvBlocksUsed());
    assertThat(status.lastStepEndMs())
        .isEqualTo(last.startTimeMs() + (last.durationUs() + 999) / 1000);

    var published = models.readKeyValuesToList();
    assertThat(published).extracting(kv -> kv.key).contains("a100-0", "h100-0");
    assertThat(published.size()).as("snapshots only on material change").isLessThan(200);
    PerformanceModel latest = published.stream()
        .filter(kv -> kv.key.equals("a100-0")).reduce((a, b) -> b).orElseThrow().value;
    StepLatencyModelState fromTopic =
        new ModelStateSerde().deserialize("t", latest.getState().array());
    assertThat(latest.getVersion()).isEqualTo(fromTopic.modelVersion());
    assertThat(latest.getFeatureNames()).hasSize(latest.getCoefficients().size());
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterWithTheReasonAndKeepGoingWhenStepsAreBad() {
    StepObservation good = SyntheticSteps.generate("a100-0", 1, 3, 1.0).get(0);
    byte[] valid = encode(good);
    steps.pipeInput("a100-0", "not avro".getBytes(StandardCharsets.UTF_8));
    steps.pipeInput("a100-0", java.util.Arrays.copyOf(valid, valid.length - 3));
    steps.pipeInput("a100-0", encode(withDuration(good, -5)));
    steps.pipeInput("a100-0", encode(new StepObservation(
        "a100-0", 1, 0, 1000, 100, 2, 100L * 100 * 2, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0)));
    steps.pipeInput("h100-9", valid); // key disagrees with the engine id inside
    steps.pipeInput("a100-0", valid);

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters).extracting(DeadLetter::getError)
        .satisfiesExactly(
            e -> assertThat(e).contains("unknown framing"),
            e -> assertThat(e).contains("truncated StepTelemetry"),
            e -> assertThat(e).contains("durationUs must be positive"),
            e -> assertThat(e).contains("prefillChunkSqSum"),
            e -> assertThat(e).contains("is not the step's engineId"));
    assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(letters).allSatisfy(l -> {
      assertThat(l.getSourceTopic()).isEqualTo(Topics.ENGINE_STEPS.name());
      assertThat(l.getStage()).isEqualTo(StepIngestProcessor.STAGE);
    });
    assertThat(letters.get(0).getValue().array()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
    KeyValueStore<String, StepLatencyModelState> store = driver.getKeyValueStore(StoreNames.MODELS);
    assertThat(store.get("a100-0").sampleCount()).isEqualTo(1);
  }

  @Test
  void shouldPublishSloWindowsWhenEventsMoveToTheNextWindowOrStreamTimePassesIt() {
    long t0 = 1_700_000_000_000L - 1_700_000_000_000L % 10_000;
    pipe(finished("r1", t0 + 100, 400_000L, 40_000L));
    pipe(finished("r2", t0 + 200, 1_400_000L, 40_000L));
    pipe(queued("r3", t0 + 300)); // not counted
    pipe(finished("r4", t0 + 10_500, 200_000L, null));
    pipe(finished("r5", t0 + 10_600, null, null)); // invalid: no TTFT

    List<SloWindow> closed = sloWindows.readValuesToList();
    assertThat(closed).hasSize(1);
    SloWindow first = closed.get(0);
    assertThat(first.getWindowStartMs()).isEqualTo(t0);
    assertThat(first.getWindowEndMs()).isEqualTo(t0 + 10_000);
    assertThat(first.getFinished()).isEqualTo(2);
    assertThat(first.getTtftMet()).isEqualTo(1);
    assertThat(first.getBothMet()).isEqualTo(1);
    assertThat(deadLetters.readValuesToList()).extracting(DeadLetter::getError)
        .containsExactly("FINISHED without a non-negative ttftUs");

    // stream time moves past the second window plus grace through another engine's events
    RequestEvent otherEngine = queued("r6", t0 + 40_000);
    otherEngine.setEngineId("h100-0");
    pipe(otherEngine);
    List<SloWindow> later = sloWindows.readValuesToList();
    assertThat(later).extracting(SloWindow::getWindowStartMs).containsExactly(t0 + 10_000);
    assertThat(later.get(0).getFinished()).isEqualTo(1);
    KeyValueStore<String, SloTally> open = driver.getKeyValueStore(StoreNames.SLO_WINDOWS);
    assertThat(open.get("a100-0")).isNull();
  }

  @Test
  void shouldDeadLetterAnEventWhenItsTypeIsUnknownOrItsKeyNamesAnotherEngine() {
    long t0 = 1_700_000_000_000L - 1_700_000_000_000L % 10_000;
    pipe(event("r1", RequestEventType.UNKNOWN, t0 + 100, null, null));
    // keyed by another engine: its partition's task may not own a100-0's SLO window
    requests.pipeInput("h100-0", encode(finished("r2", t0 + 200, 400_000L, 40_000L)), t0 + 200);
    pipe(finished("r3", t0 + 300, 400_000L, 40_000L));
    pipe(finished("r4", t0 + 10_500, 200_000L, null));

    assertThat(deadLetters.readValuesToList())
        .allSatisfy(l -> assertThat(l.getStage()).isEqualTo(RequestEventProcessor.STAGE))
        .extracting(DeadLetter::getError)
        .containsExactly(
            "event type unknown to this version",
            "record key 'h100-0' is not the event's engineId 'a100-0'");
    assertThat(sloWindows.readValuesToList()).singleElement()
        .satisfies(w -> assertThat(w.getFinished()).as("only r3 counted").isEqualTo(1));
  }

  @Test
  void shouldKeepTheLastGoodDescriptorWhenADescriptorBreaksTheRoutersRules() {
    EngineDescriptor good = descriptor("a100-0", 1);
    registry.pipeInput("a100-0", descriptorSerde.serialize(Topics.ENGINE_REGISTRY.name(), good));
    registry.pipeInput("a100-0",
        descriptorSerde.serialize(Topics.ENGINE_REGISTRY.name(), descriptor("a100-0", 0)));
    registry.pipeInput("a100-1",
        descriptorSerde.serialize(Topics.ENGINE_REGISTRY.name(), descriptor("a100-9", 1)));

    KeyValueStore<String, EngineDescriptor> store = driver.getKeyValueStore(StoreNames.ENGINE_REGISTRY);
    assertThat(store.get("a100-0")).as("a zero tensor-parallel degree is skipped").isEqualTo(good);
    assertThat(store.get("a100-1")).as("keyed by another engine than it describes").isNull();
  }

  private static EngineDescriptor descriptor(String engineId, int tensorParallel) {
    return EngineDescriptor.newBuilder()
        .setEngineId(engineId).setGpu("a100").setModel("llama-2-7b").setTensorParallel(tensorParallel)
        .setKvBlocksTotal(4000).setBlockSizeTokens(16).setMaxNumBatchedTokens(8192).setMaxNumSeqs(256)
        .setMaxModelLen(4096).setScheduler("vllm-default").setStartedAtMs(0).setHeartbeatMs(1_000)
        .build();
  }

  private void pipe(StepObservation step) {
    steps.pipeInput(step.engineId(), encode(step), step.startTimeMs());
  }

  private void pipe(RequestEvent event) {
    requests.pipeInput(event.getEngineId(), encode(event), event.getEventTimeMs());
  }

  private byte[] encode(StepObservation step) {
    return stepSerde.serialize(Topics.ENGINE_STEPS.name(), TelemetryMapping.toTelemetry(step));
  }

  private byte[] encode(RequestEvent event) {
    return requestSerde.serialize(Topics.ENGINE_REQUESTS.name(), event);
  }

  private static StepObservation withDuration(StepObservation s, long durationUs) {
    return new StepObservation(s.engineId(), s.stepIndex(), s.startTimeMs(), durationUs,
        s.prefillTokens(), s.prefillChunks(), s.prefillChunkSqSum(), s.prefillCachedContext(),
        s.prefillChunkContextProduct(), s.decodeSeqs(), s.decodeContextSum(), s.kvBlocksUsed(),
        s.kvBlocksTotal(), s.waiting(), s.running(), s.preemptions(), s.tokenBudget());
  }

  private static RequestEvent finished(String id, long timeMs, Long ttftUs, Long tpotUs) {
    return event(id, RequestEventType.FINISHED, timeMs, ttftUs, tpotUs);
  }

  private static RequestEvent queued(String id, long timeMs) {
    return event(id, RequestEventType.QUEUED, timeMs, null, null);
  }

  private static RequestEvent event(
      String id, RequestEventType type, long timeMs, Long ttftUs, Long tpotUs) {
    return RequestEvent.newBuilder()
        .setEngineId("a100-0")
        .setRequestId(id)
        .setType(type)
        .setEventTimeMs(timeMs)
        .setArrivalTimeMs(timeMs - 2_000)
        .setPromptTokens(500)
        .setOutputTokens(100)
        .setSloTtftMs(1000)
        .setSloTpotMs(100)
        .setTtftUs(ttftUs)
        .setTpotUs(tpotUs)
        .build();
  }
}
