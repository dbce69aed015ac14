package io.synergysched.core.routing.prism;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.TrainedModels;
import io.synergysched.core.telemetry.StepObservation;
import org.junit.jupiter.api.Test;

class EngineStepModelTest {

  private static StepObservation step(int prefill, int decodes, long durationUs) {
    return new StepObservation("e0", 1, 0, durationUs, prefill, prefill > 0 ? 1 : 0, (long) prefill * prefill,
        0, 0, decodes, decodes * 1024L, 100, 1000, 0, decodes, 0, 8192);
  }

  @Test
  void shouldRoundPrefillUpAndDecodesToTheNearestWhenTheLoadIsFractional() {
    StepLatencyModel model = TrainedModels.mediumLoadModel();
    EngineStepModel engine = new EngineStepModel(model, false);

    double ms = engine.stepMs(100.2, 7.6, 8000.9);

    assertThat(ms).isEqualTo(model.predictUs(101, 1, 101L * 101, 0, 0, 8, 8000) / 1000.0);
  }

  @Test
  void shouldPredictADecodeOnlyStepWhenThereIsNoPrefill() {
    StepLatencyModel model = TrainedModels.mediumLoadModel();
    EngineStepModel engine = new EngineStepModel(model, false);

    assertThat(engine.stepMs(0, 4, 4096)).isEqualTo(model.predictUs(0, 0, 0, 0, 0, 4, 4096) / 1000.0);
    assertThat(engine.stepMs(0, 4, 4096)).isLessThan(engine.stepMs(512, 4, 4096));
  }

  @Test
  void shouldPredictTheReferenceStepAgainWhenTheModelLearnt() {
    StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
    EngineStepModel engine = new EngineStepModel(model, false);
    for (int i = 0; i < 40; i++) {
      engine.learn(step(256 * (i % 4), 8 + i % 16, 20_000 + 1_000L * (i % 7)));
    }
    double first = engine.referenceStepMs();
    assertThat(first).isEqualTo(engine.stepMs(0, 32, 32 * 1024));

    engine.learn(step(0, 32, 400_000));

    assertThat(engine.referenceStepMs()).isEqualTo(engine.stepMs(0, 32, 32 * 1024)).isNotEqualTo(first);
  }

  @Test
  void shouldBeReliableWhenItStartedFromAPriorOrHasWarmedUp() {
    StepLatencyModelConfig config = StepLatencyModelConfig.defaults();

    assertThat(new EngineStepModel(StepLatencyModel.cold(config), false).reliable()).isFalse();
    assertThat(new EngineStepModel(StepLatencyModel.cold(config), true).reliable()).isTrue();
    assertThat(new EngineStepModel(TrainedModels.mediumLoadModel(), false).reliable()).isTrue();
  }
}
