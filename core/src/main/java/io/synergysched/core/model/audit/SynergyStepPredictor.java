package io.synergysched.core.model.audit;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.telemetry.StepObservation;

/** {@code synergy}: our structural online model ({@link StepLatencyModel}), cold or from a class prior. */
public final class SynergyStepPredictor implements StepLatencyPredictor {

  public static final String NAME = "synergy";

  private final StepLatencyModel model;

  public SynergyStepPredictor(StepLatencyModel model) {
    this.model = model;
  }

  public static SynergyStepPredictor cold(StepLatencyModelConfig config) {
    return new SynergyStepPredictor(StepLatencyModel.cold(config));
  }

  public static SynergyStepPredictor fromPrior(StepLatencyPrior prior, StepLatencyModelConfig config) {
    return new SynergyStepPredictor(StepLatencyModel.fromPrior(prior, config));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double predictUs(StepObservation step) {
    return model.predictUs(step);
  }

  @Override
  public void learn(StepObservation step) {
    model.learn(step);
  }

  /** The wrapped model, for snapshots after an audit run. */
  public StepLatencyModel model() {
    return model;
  }
}
