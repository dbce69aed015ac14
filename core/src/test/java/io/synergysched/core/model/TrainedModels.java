package io.synergysched.core.model;

/** Models trained on the synthetic engine, shared by tests in other packages. */
public final class TrainedModels {

  private TrainedModels() {}

  /** A cold model after 4,000 medium-load steps (seed 77, 3% noise). */
  public static StepLatencyModel mediumLoadModel() {
    StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
    for (var step : new SyntheticEngine("e", 77, SyntheticEngine.Load.MEDIUM, 0.03).run(4000)) {
      model.learn(step);
    }
    for (var step : new SyntheticEngine("e", 78, SyntheticEngine.Load.HIGH, 0.03).run(4000)) {
      model.learn(step);
    }
    return model;
  }
}
