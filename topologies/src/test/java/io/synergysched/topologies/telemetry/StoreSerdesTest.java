package io.synergysched.topologies.telemetry;

import io.synergysched.runtime.mapping.ModelStateSerde;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.slo.SloTally;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.core.telemetry.StepObservation;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The stores' binary formats give back exactly what went in, and refuse what is not theirs. */
class StoreSerdesTest {

  @Test
  void shouldRestoreTheExactModelStateWhenRoundTripped() {
    StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
    List<StepObservation> steps = SyntheticSteps.generate("a100-0", 300, 11, 1.0);
    steps.forEach(model::learn);
    StepLatencyModelState state = model.snapshot();
    ModelStateSerde serde = new ModelStateSerde();

    byte[] bytes = serde.serialize("t", state);

    assertThat(serde.deserialize("t", bytes)).isEqualTo(state);
    assertThatThrownBy(() -> serde.deserialize("t", Arrays.copyOf(bytes, bytes.length - 8)))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserialize("t", Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("trailing");
  }

  @Test
  void shouldDecodeTheBytesWhenTheyAreACopyOfWhatItEncoded() {
    StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
    SyntheticSteps.generate("a100-1", 50, 12, 1.0).forEach(model::learn);
    StepLatencyModelState state = model.snapshot();
    ModelStateSerde serde = new ModelStateSerde();
    byte[] bytes = serde.serialize("t", state);

    // its own array comes back as the state itself; a copy (as from RocksDB or the changelog)
    // and another instance's decode give an equal state
    assertThat(serde.deserialize("t", bytes)).isSameAs(state);
    assertThat(serde.deserialize("t", bytes.clone())).isNotSameAs(state).isEqualTo(state);
    assertThat(new ModelStateSerde().deserialize("t", bytes)).isNotSameAs(state).isEqualTo(state);
  }

  @Test
  void shouldReadTheDenseFirstLayoutWhenAnOldChangelogHoldsIt() {
    StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
    SyntheticSteps.generate("a100-2", 200, 13, 1.0).forEach(model::learn);
    StepLatencyModelState state = model.snapshot();
    byte[] dense = denseFirstLayout(state);
    ModelStateSerde serde = new ModelStateSerde();

    byte[] sparse = serde.serialize("t", state);

    assertThat(new ModelStateSerde().deserialize("t", dense)).isEqualTo(state);
    assertThat(new ModelStateSerde().deserialize("t", sparse.clone())).isEqualTo(state);
    assertThat(sparse.length).isLessThan(dense.length);
  }

  /** The first layout: format version, then every field in order, every array dense. */
  private static byte[] denseFirstLayout(StepLatencyModelState s) {
    byte[] engineClass = s.engineClass().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    double[][] arrays = {s.coefficients(), s.information(), s.weightedTargets(),
        s.typicalInformation(), s.correctionMs(), s.correctionVisits()};
    int size = 4 + 4 + engineClass.length + 3 * 8 + 2 * 8 + 5 * 8;
    for (double[] array : arrays) {
      size += 4 + 8 * array.length;
    }
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(size);
    out.putInt(s.formatVersion()).putInt(engineClass.length).put(engineClass);
    out.putLong(s.modelVersion()).putLong(s.sampleCount()).putLong(s.rejectedCount());
    out.putDouble(s.effectiveSamples()).putDouble(s.kneeTokens());
    for (double[] array : arrays) {
      out.putInt(array.length);
      for (double value : array) {
        out.putDouble(value);
      }
    }
    out.putDouble(s.residualScale()).putDouble(s.meanLatencyMs()).putDouble(s.recentMape())
        .putDouble(s.recentSquaredErrorMs2()).putDouble(s.recentLatencyVarianceMs2());
    return out.array();
  }

  @Test
  void shouldRestoreTheEngineStatusWhenRoundTripped() {
    List<StepObservation> steps = SyntheticSteps.generate("h100-3", 2, 5, 2.0);
    EngineStatus status = EngineStatus.after(EngineStatus.after(null, steps.get(0)), steps.get(1));
    EngineStatusSerde serde = new EngineStatusSerde();

    assertThat(serde.deserialize("t", serde.serialize("t", status))).isEqualTo(status);
    assertThat(status.stepsSeen()).isEqualTo(2);
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {9, 0, 0}))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldRestoreTheSloTallyWhenRoundTripped() {
    SloTally tally = new SloTally(20_000);
    tally.recordFinished(300, 30, 1000, 100);
    tally.recordFinished(3000, 130, 1000, 100);
    tally.recordRejected();
    SloTallySerde serde = new SloTallySerde();

    SloTally back = serde.deserialize("t", serde.serialize("t", tally));

    assertThat(back.windowStartMs()).isEqualTo(20_000);
    assertThat(back.finished()).isEqualTo(2);
    assertThat(back.bothMet()).isEqualTo(1);
    assertThat(back.rejected()).isEqualTo(1);
    assertThat(back.ttftHistogram()).isEqualTo(tally.ttftHistogram());
    assertThat(back.tpotQuantileMs(0.5)).isEqualTo(tally.tpotQuantileMs(0.5));
  }
}
