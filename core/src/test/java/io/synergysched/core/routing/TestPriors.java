package io.synergysched.core.routing;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.model.StepLatencyPriorFitter;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cold-start priors of synthetic engine classes for routing tests: step ms = speed x (8 + 0.06
 * ms/token + 2e-5 ms/context token), fitted from 600 seeded steps.
 */
public final class TestPriors {

  /** a100 at speed 1 and h100 at speed 0.5 (twice as fast), Llama-2-7B, TP 1. */
  public static final Map<String, StepLatencyPrior> A100_AND_H100 = Map.of(
      StepLatencyPrior.classKey("a100", "llama-2-7b", 1), prior("a100", 1.0),
      StepLatencyPrior.classKey("h100", "llama-2-7b", 1), prior("h100", 0.5));

  private TestPriors() {}

  public static StepLatencyPrior prior(String gpu, double speed) {
    SplittableRandom random = new SplittableRandom(3);
    List<StepObservation> steps = new ArrayList<>();
    for (int s = 0; s < 600; s++) {
      int decodes = random.nextInt(128);
      long context = decodes * (long) (256 + random.nextInt(2048));
      int chunk = random.nextBoolean() ? random.nextInt(4096) : 0;
      double ms = speed * (8 + 0.06 * (chunk + decodes) + 2e-5 * context);
      steps.add(new StepObservation(gpu, s, s * 50L, Math.round(ms * 1000), chunk, chunk > 0 ? 1 : 0,
          (long) chunk * chunk, 0, 0, decodes, context, 0, 7000, 0, decodes, 0, 8192));
    }
    return StepLatencyPriorFitter.fit(StepLatencyPrior.classKey(gpu, "llama-2-7b", 1), steps,
        StepLatencyModelConfig.defaults(), 50);
  }
}
