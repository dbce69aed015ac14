package io.synergysched.core.model;

import io.synergysched.core.telemetry.StepObservation;
import java.util.List;

/**
 * Rough per-call cost of learn and predict on one core (not a test: wall-clock figures are not
 * asserted). Run: {@code java -cp core/target-model/classes:core/target-model/test-classes
 * io.synergysched.core.model.StepLatencyModelThroughputMain}.
 */
public final class StepLatencyModelThroughputMain {

  public static void main(String[] args) {
    List<StepObservation> steps = new SyntheticEngine("e", 1, SyntheticEngine.Load.HIGH, 0.03).run(20_000);
    double sink = 0;
    for (int round = 0; round < 8; round++) {
      StepLatencyModel model = StepLatencyModel.cold(StepLatencyModelConfig.defaults());
      long start = System.nanoTime();
      for (int repeat = 0; repeat < 10; repeat++) {
        for (StepObservation s : steps) {
          model.learn(s);
        }
      }
      long learned = System.nanoTime();
      for (int repeat = 0; repeat < 10; repeat++) {
        for (StepObservation s : steps) {
          sink += model.predictUs(s);
        }
      }
      long predicted = System.nanoTime();
      double n = 10.0 * steps.size();
      System.out.printf(
          "round %d: learn %.0f ns/step (%.0f steps/s), predict %.0f ns/step%n",
          round, (learned - start) / n, n / ((learned - start) / 1e9), (predicted - learned) / n);
    }
    System.out.println(sink > 0 ? "" : "?");
  }
}
