package io.synergysched.runtime.mapping;

import io.synergysched.core.model.StepFeatures;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.slo.SloTally;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.PerformanceModel;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.SloWindow;
import io.synergysched.schemas.StepTelemetry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Between the Avro records on the topics and the plain records the core algorithms use. */
public final class TelemetryMapping {

  private static final List<String> FEATURE_NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < StepFeatures.DIMENSION; i++) {
      names.add(StepFeatures.name(i));
    }
    FEATURE_NAMES = List.copyOf(names);
  }

  private TelemetryMapping() {}

  public static StepObservation toObservation(StepTelemetry t) {
    return new StepObservation(
        t.getEngineId(),
        t.getStepIndex(),
        t.getStartTimeMs(),
        t.getDurationUs(),
        t.getPrefillTokens(),
        t.getPrefillChunks(),
        t.getPrefillChunkSqSum(),
        t.getPrefillCachedContext(),
        t.getPrefillChunkContextProduct(),
        t.getDecodeSeqs(),
        t.getDecodeContextSum(),
        t.getKvBlocksUsed(),
        t.getKvBlocksTotal(),
        t.getWaiting(),
        t.getRunning(),
        t.getPreemptions(),
        t.getTokenBudget());
  }

  /**
   * A request event in the core's form.
   *
   * @param requestId the reader's numeric id for the event's request id
   * @throws IllegalArgumentException for {@link RequestEventType#UNKNOWN}, which has no core phase
   *     ({@link io.synergysched.runtime.records.RequestEventRules} rejects such events first)
   */
  public static RequestObservation toObservation(RequestEvent e, long requestId) {
    return new RequestObservation(
        e.getEngineId(),
        requestId,
        RequestPhase.valueOf(e.getType().name()),
        e.getEventTimeMs(),
        e.getPromptTokens(),
        e.getOutputTokens(),
        e.getCachedPromptTokens());
  }

  public static StepTelemetry toTelemetry(StepObservation s) {
    return StepTelemetry.newBuilder()
        .setEngineId(s.engineId())
        .setStepIndex(s.stepIndex())
        .setStartTimeMs(s.startTimeMs())
        .setDurationUs(s.durationUs())
        .setPrefillTokens(s.prefillTokens())
        .setPrefillChunks(s.prefillChunks())
        .setPrefillChunkSqSum(s.prefillChunkSqSum())
        .setPrefillCachedContext(s.prefillCachedContext())
        .setPrefillChunkContextProduct(s.prefillChunkContextProduct())
        .setDecodeSeqs(s.decodeSeqs())
        .setDecodeContextSum(s.decodeContextSum())
        .setKvBlocksUsed(s.kvBlocksUsed())
        .setKvBlocksTotal(s.kvBlocksTotal())
        .setWaiting(s.waiting())
        .setRunning(s.running())
        .setPreemptions(s.preemptions())
        .setTokenBudget(s.tokenBudget())
        .build();
  }

  /**
   * The snapshot published on the models topic: coefficients per natural unit for readers, plus
   * the exact state bytes so a reader can rebuild the model itself.
   */
  public static PerformanceModel toPerformanceModel(
      String engineId, StepLatencyModelState state, long lastStepIndex, long updatedAtMs,
      byte[] stateBytes) {
    List<Double> coefficients = new ArrayList<>(StepFeatures.DIMENSION);
    for (double c : state.coefficientsMicrosPerUnit()) {
      coefficients.add(c);
    }
    return PerformanceModel.newBuilder()
        .setEngineId(engineId)
        .setModelClass(state.engineClass())
        .setVersion(state.modelVersion())
        .setFeatureNames(FEATURE_NAMES)
        .setCoefficients(coefficients)
        .setSamples(state.sampleCount())
        .setResidualStdUs(Math.sqrt(Math.max(0, state.recentSquaredErrorMs2())) * 1000.0)
        .setR2(state.recentR2())
        .setMape(state.recentMape())
        .setLastStepIndex(lastStepIndex)
        .setUpdatedAtMs(updatedAtMs)
        .setState(stateBytes == null ? null : ByteBuffer.wrap(stateBytes))
        .build();
  }

  public static SloWindow toSloWindow(String engineId, SloTally tally, long windowSizeMs) {
    return SloWindow.newBuilder()
        .setEngineId(engineId)
        .setWindowStartMs(tally.windowStartMs())
        .setWindowEndMs(tally.windowStartMs() + windowSizeMs)
        .setFinished(tally.finished())
        .setTtftMet(tally.ttftMet())
        .setTpotMet(tally.tpotMet())
        .setBothMet(tally.bothMet())
        .setRejected(tally.rejected())
        .setTtftP50Ms(nullIfNaN(tally.ttftQuantileMs(0.5)))
        .setTtftP99Ms(nullIfNaN(tally.ttftQuantileMs(0.99)))
        .setTpotP50Ms(nullIfNaN(tally.tpotQuantileMs(0.5)))
        .setTpotP99Ms(nullIfNaN(tally.tpotQuantileMs(0.99)))
        .build();
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
