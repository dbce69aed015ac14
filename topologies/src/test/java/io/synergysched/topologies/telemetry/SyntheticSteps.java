package io.synergysched.topologies.telemetry;

import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Steps of a make-believe engine whose latency follows the structure of the Vidur recipe (flat then
 * linear in tokens, quadratic prefill attention, decode attention linear in context), seeded.
 */
public final class SyntheticSteps {

  private SyntheticSteps() {}

  /** True latency of a step, microseconds. */
  public static long trueDurationUs(int prefill, int decodes, long decodeContext, double speed) {
    int tokens = prefill + decodes;
    double ms = 9.0 + 0.004 * tokens + 0.03 * Math.max(0, tokens - 128)
        + 2.0e-6 * (double) prefill * prefill + 1.5e-5 * decodeContext;
    return Math.round(ms * 1000.0 / speed);
  }

  public static List<StepObservation> generate(String engineId, int count, long seed, double speed) {
    Random random = new Random(seed);
    List<StepObservation> steps = new ArrayList<>(count);
    long time = 1_700_000_000_000L;
    for (int i = 0; i < count; i++) {
      int prefill = random.nextInt(3) == 0 ? 0 : 16 + random.nextInt(2048);
      int decodes = 1 + random.nextInt(96);
      long decodeContext = (long) decodes * (64 + random.nextInt(2000));
      long duration = trueDurationUs(prefill, decodes, decodeContext, speed);
      steps.add(
          new StepObservation(
              engineId, i, time, duration, prefill, prefill == 0 ? 0 : 1,
              (long) prefill * prefill, 0, 0, decodes, decodeContext, 500 + i % 100, 4000,
              random.nextInt(5), decodes + (prefill == 0 ? 0 : 1), 0, 8192));
      time += duration / 1000 + 1;
    }
    return steps;
  }
}
