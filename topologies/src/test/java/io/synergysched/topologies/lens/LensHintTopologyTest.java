package io.synergysched.topologies.lens;

import io.synergysched.runtime.mapping.LensHintMapping;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.core.lens.LensPlannerConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.SpecificAvroSerde;
import io.synergysched.topologies.StoreNames;
import io.synergysched.topologies.telemetry.SyntheticSteps;
import io.synergysched.runtime.mapping.TelemetryMapping;
import io.synergysched.topologies.telemetry.TelemetryTopology;
import io.synergysched.topologies.telemetry.TelemetryTopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LensHintTopologyTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final LensHintTopologyConfig LENS = LensHintTopologyConfig.defaults();
  /** Steps that warm a model without prior (it needs 24) and fit the synthetic engine closely. */
  private static final int WARM = 80;

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> steps;
  private TestInputTopic<String, byte[]> registry;
  private TestOutputTopic<String, io.synergysched.schemas.LensHint> hints;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private final SpecificAvroSerde<StepTelemetry> stepSerde = SpecificAvroSerde.forValues(StepTelemetry.class, NO_REGISTRY);
  private final SpecificAvroSerde<EngineDescriptor> descriptorSerde =
      SpecificAvroSerde.forValues(EngineDescriptor.class, NO_REGISTRY);

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lens-hint-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(
        TelemetryTopology.build(TelemetryTopologyConfig.defaults().withLens(LENS), NO_REGISTRY), props,
        Instant.ofEpochMilli(T0));
    steps = driver.createInputTopic(Topics.ENGINE_STEPS.name(), new StringSerializer(), new ByteArraySerializer());
    registry = driver.createInputTopic(
        Topics.ENGINE_REGISTRY.name(), new StringSerializer(), new ByteArraySerializer());
    hints = driver.createOutputTopic(Topics.CONTROL_LENS.name(), new StringDeserializer(),
        SpecificAvroSerde.forValues(io.synergysched.schemas.LensHint.class, NO_REGISTRY));
    deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new StringDeserializer(),
        SpecificAvroSerde.forValues(DeadLetter.class, NO_REGISTRY));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private void announce(String engineId, String scheduler, long heartbeatMs) {
    EngineDescriptor d = EngineDescriptor.newBuilder()
        .setEngineId(engineId).setGpu("a100").setModel("llama-2-7b").setTensorParallel(1)
        .setKvBlocksTotal(4000).setBlockSizeTokens(16).setMaxNumBatchedTokens(8192).setMaxNumSeqs(256)
        .setMaxModelLen(4096).setScheduler(scheduler).setEndpoint(null).setStartedAtMs(T0)
        .setHeartbeatMs(heartbeatMs).build();
    registry.pipeInput(engineId, descriptorSerde.serialize(Topics.ENGINE_REGISTRY.name(), d));
  }

  private void pipe(List<StepObservation> observations) {
    for (StepObservation s : observations) {
      steps.pipeInput(s.engineId(), stepSerde.serialize(Topics.ENGINE_STEPS.name(), TelemetryMapping.toTelemetry(s)));
    }
  }

  /** One planning round later. */
  private List<TestRecord<String, io.synergysched.schemas.LensHint>> nextRound() {
    driver.advanceWallClockTime(Duration.ofMillis(LENS.planIntervalMs()));
    return hints.readRecordsToList();
  }

  private LensPlan warmUp(String engineId) {
    announce(engineId, "lens", T0);
    pipe(SyntheticSteps.generate(engineId, WARM, 7, 1.0));
    List<TestRecord<String, io.synergysched.schemas.LensHint>> round = nextRound();
    assertThat(round).hasSize(1);
    return LensHintMapping.toCore(round.get(0).value());
  }

  @Test
  void shouldPublishAHintPlannedFromTheEnginesModelOnceTelemetryHasWarmedIt() {
    announce("e0", "lens", T0);
    pipe(SyntheticSteps.generate("e0", 10, 7, 1.0));
    assertThat(nextRound()).as("10 steps do not warm a model without prior").isEmpty();

    pipe(SyntheticSteps.generate("e0", WARM, 8, 1.0).subList(10, WARM));
    List<TestRecord<String, io.synergysched.schemas.LensHint>> round = nextRound();

    assertThat(round).hasSize(1);
    assertThat(round.get(0).key()).isEqualTo("e0");
    LensPlan hint = LensHintMapping.toCore(round.get(0).value());
    StepLatencyModelState model = driver.<String, StepLatencyModelState>getKeyValueStore(StoreNames.MODELS).get("e0");
    assertThat(hint.engineId()).isEqualTo("e0");
    assertThat(hint.hintVersion()).isEqualTo(1);
    assertThat(hint.modelVersion()).isEqualTo(model.modelVersion());
    long now = T0 + 2 * LENS.planIntervalMs();
    assertThat(hint.issuedAtMs()).isEqualTo(now);
    assertThat(hint.validUntilMs()).isEqualTo(now + LensPlannerConfig.defaults().hintTtlMs());
    assertThat(hint.tpotTargetMs()).isEqualTo(LENS.tpotTargetMs());
    // the synthetic engine takes ~9 ms + 0.034 ms per token: a 95 ms step holds a few thousand tokens
    assertThat(hint.tokenBudgetAt(0)).isBetween(1000, 8192);
    assertThat(hint.tokenBudgetAt(64)).isLessThan(hint.tokenBudgetAt(0));
    assertThat(LensHintMapping.toAvro(hint)).isEqualTo(round.get(0).value());
  }

  @Test
  void shouldPublishNothingNewWhenTheHintChangedImmaterially() {
    LensPlan first = warmUp("e0");
    // a few more steps of the same engine move the model by a fraction of a percent
    pipe(SyntheticSteps.generate("e0", WARM + 5, 7, 1.0).subList(WARM, WARM + 5));
    assertThat(nextRound()).isEmpty();
    assertThat(nextRound()).isEmpty();
    assertThat(driver.<String, io.synergysched.schemas.LensHint>getKeyValueStore(StoreNames.LENS_HINTS).get("e0")
        .getHintVersion()).isEqualTo(first.hintVersion());
  }

  @Test
  void shouldRefreshAnUnchangedHintBeforeItExpires() {
    LensPlan first = warmUp("e0");
    announce("e0", "lens", first.issuedAtMs());
    long refreshAt = first.issuedAtMs() + LENS.publishPolicy().refreshAfterMs();
    List<TestRecord<String, io.synergysched.schemas.LensHint>> round = List.of();
    long now = first.issuedAtMs();
    while (round.isEmpty() && now < first.validUntilMs()) {
      round = nextRound();
      now += LENS.planIntervalMs();
    }
    assertThat(round).hasSize(1);
    LensPlan refreshed = LensHintMapping.toCore(round.get(0).value());
    assertThat(refreshed.issuedAtMs()).isEqualTo(refreshAt);
    assertThat(refreshed.issuedAtMs()).isLessThan(first.validUntilMs());
    assertThat(refreshed.hintVersion()).isEqualTo(first.hintVersion() + 1);
    assertThat(refreshed.budgetCurve()).isEqualTo(first.budgetCurve());
    assertThat(refreshed.validUntilMs()).isEqualTo(refreshAt + LensPlannerConfig.defaults().hintTtlMs());
  }

  @Test
  void shouldPlanOnlyForLiveLensEnginesAndRetireTheHintOfARetiredEngine() {
    LensPlan e0 = warmUp("e0");
    announce("static", "vllm-default", T0);
    pipe(SyntheticSteps.generate("static", WARM, 9, 1.0));
    announce("silent", "lens", T0 - 2 * LensPlannerConfig.defaults().hintTtlMs());
    pipe(SyntheticSteps.generate("silent", WARM, 10, 1.0));
    assertThat(nextRound()).isEmpty();

    registry.pipeInput("e0", (byte[]) null);
    List<TestRecord<String, io.synergysched.schemas.LensHint>> round = nextRound();
    assertThat(round).hasSize(1);
    assertThat(round.get(0).key()).isEqualTo(e0.engineId());
    assertThat(round.get(0).value()).as("tombstone").isNull();
  }

  @Test
  void shouldDeadLetterABadStepAndKeepPlanning() {
    announce("e0", "lens", T0);
    steps.pipeInput("e0", "not avro".getBytes(StandardCharsets.UTF_8));
    registry.pipeInput("e1", "not a descriptor either".getBytes(StandardCharsets.UTF_8));
    pipe(SyntheticSteps.generate("e0", WARM, 7, 1.0));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getSourceTopic()).isEqualTo(Topics.ENGINE_STEPS.name());
    assertThat(letters.get(0).getError()).isNotBlank();
    assertThat(nextRound()).hasSize(1);
  }
}
