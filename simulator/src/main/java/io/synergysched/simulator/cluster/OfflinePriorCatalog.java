package io.synergysched.simulator.cluster;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.model.StepLatencyPriorFitter;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Cold-start priors per engine class, fitted offline from simulator steps: for each (GPU, model,
 * TP) class, {@value #STEPS} steps of seeded random composition (decode batches up to 256 at
 * contexts to 4k, prefill chunks to 8k tokens with and without cached context behind them) timed by
 * a perturbed copy of the class's profile, fitted with {@link StepLatencyPriorFitter} at
 * {@value #PSEUDO_OBSERVATIONS} pseudo-observations. Deterministic; fitted once per class per JVM
 * and shared (priors are immutable).
 *
 * <p>Why perturbed: the simulated engines run the class's profile itself, so a prior fitted to that
 * exact function would know the engines better than any deployment knows its GPUs (a profile is
 * measured on another machine, driver and library version). The prior's step times are the
 * profile's times scaled by a per-class bias in [{@value #MIN_BIAS}, {@value #MAX_BIAS}], tilted by
 * up to {@value #MAX_TILT} of the step's size (so the shape is off too, not just the scale), with
 * lognormal noise of sigma {@value #NOISE_SIGMA} per step; all three drawn from a seed of the class
 * alone, independent of the engines' noise seeds. The online models correct the prior from the
 * engines' own telemetry, as they would in production.
 */
public final class OfflinePriorCatalog {

  static final int STEPS = 3000;
  static final double PSEUDO_OBSERVATIONS = 50;
  static final double MIN_BIAS = 0.92;
  static final double MAX_BIAS = 1.08;
  static final double MAX_TILT = 0.1;
  static final double NOISE_SIGMA = 0.05;
  /** Mixed into the class key's hash so the perturbation's stream differs from the composition's. */
  private static final long PERTURBATION_SEED = 0x5eed_0ff1_ce5L;

  private static final Map<String, StepLatencyPrior> CACHE = new ConcurrentHashMap<>();

  private OfflinePriorCatalog() {}

  /** Priors for the classes of {@code engines}, by class key; null for any other class. */
  public static Function<String, StepLatencyPrior> forEngines(List<EngineSetup> engines) {
    Map<String, ProfiledStepLatency> byClass = new java.util.HashMap<>();
    for (EngineSetup e : engines) {
      byClass.putIfAbsent(StepLatencyPrior.classKey(e.latency().spec().gpu(), e.latency().spec().model(),
          e.latency().spec().tensorParallel()), e.latency());
    }
    return key -> {
      ProfiledStepLatency latency = byClass.get(key);
      return latency == null ? null : CACHE.computeIfAbsent(key + "@" + System.identityHashCode(latency),
          k -> fit(key, latency));
    };
  }

  /** Fits the prior of one class from synthetic steps timed by a perturbed copy of {@code latency}. */
  public static StepLatencyPrior fit(String classKey, ProfiledStepLatency latency) {
    SplittableRandom random = new SplittableRandom(classKey.hashCode());
    SplittableRandom perturbation = new SplittableRandom(classKey.hashCode() ^ PERTURBATION_SEED);
    double bias = MIN_BIAS + (MAX_BIAS - MIN_BIAS) * perturbation.nextDouble();
    double tilt = MAX_TILT * (2 * perturbation.nextDouble() - 1);
    List<StepObservation> steps = new ArrayList<>(STEPS);
    long t = 0;
    for (int s = 0; s < STEPS; s++) {
      int decodes = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(256);
      long context = 0;
      for (int d = 0; d < decodes; d++) {
        context += 64 + random.nextInt(4032);
      }
      int chunk = decodes == 0 || random.nextBoolean() ? 1 + random.nextInt(8192 - decodes) : 0;
      int cached = chunk > 0 && random.nextInt(3) == 0 ? random.nextInt(4096) : 0;
      if (chunk == 0 && decodes == 0) {
        decodes = 1;
        context = 512;
      }
      long cachedRounded = (cached + 63) / 64 * 64;
      double ms = latency.stepMs(chunk, chunk > 0 ? 1 : 0, (long) chunk * chunk, cachedRounded, decodes, context);
      double size = (chunk + decodes) / 8192.0;
      ms *= bias * (1 + tilt * (size - 0.5))
          * Math.exp(NOISE_SIGMA * perturbation.nextGaussian() - 0.5 * NOISE_SIGMA * NOISE_SIGMA);
      long us = Math.max(1, Math.round(ms * 1000));
      steps.add(new StepObservation(classKey, s, t, us, chunk, chunk > 0 ? 1 : 0, (long) chunk * chunk,
          cached, (long) chunk * cached, decodes, context, 0, 1, 0, decodes + (chunk > 0 ? 1 : 0), 0, 8192));
      t += Math.max(1, us / 1000);
    }
    return StepLatencyPriorFitter.fit(classKey, steps, StepLatencyModelConfig.defaults(), PSEUDO_OBSERVATIONS);
  }
}
