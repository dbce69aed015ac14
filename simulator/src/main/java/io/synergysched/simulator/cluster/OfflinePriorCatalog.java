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
 * the class's profile, fitted with {@link StepLatencyPriorFitter} at {@value #PSEUDO_OBSERVATIONS}
 * pseudo-observations. Deterministic; fitted once per class per JVM and shared (priors are
 * immutable).
 */
public final class OfflinePriorCatalog {

  static final int STEPS = 3000;
  static final double PSEUDO_OBSERVATIONS = 50;

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

  /** Fits the prior of one class from synthetic steps timed by {@code latency}. */
  public static StepLatencyPrior fit(String classKey, ProfiledStepLatency latency) {
    SplittableRandom random = new SplittableRandom(classKey.hashCode());
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
      long us = Math.max(1, Math.round(ms * 1000));
      steps.add(new StepObservation(classKey, s, t, us, chunk, chunk > 0 ? 1 : 0, (long) chunk * chunk,
          cached, (long) chunk * cached, decodes, context, 0, 1, 0, decodes + (chunk > 0 ? 1 : 0), 0, 8192));
      t += Math.max(1, us / 1000);
    }
    return StepLatencyPriorFitter.fit(classKey, steps, StepLatencyModelConfig.defaults(), PSEUDO_OBSERVATIONS);
  }
}
