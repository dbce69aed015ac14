package io.synergysched.core.scheduling;

import io.synergysched.core.lens.LensPlanner;
import io.synergysched.core.lens.LensPlannerConfig;
import io.synergysched.core.lens.LensScheduler;
import io.synergysched.core.lens.LensSchedulerConfig;
import io.synergysched.core.model.StepLatencyModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Batch schedulers by kebab-case name, so an experiment picks one by configuration. A new policy
 * registers itself here with one line.
 */
public final class BatchSchedulerRegistry {

  /** vLLM server defaults: {@code max_num_batched_tokens} 8192, {@code max_num_seqs} 256. */
  public static final String VLLM_DEFAULT = "vllm-default";

  /** vLLM's policy with a well-tuned static 2048-token budget. */
  public static final String VLLM_2048 = "vllm-2048";

  /** Sarathi-Serve with static 512-token chunks. */
  public static final String SARATHI_512 = "sarathi-512";

  /**
   * Ablations: the static budgets with LENS's timeout triage (waiting requests shed once their
   * TTFT target has passed), to tell the gain of triage from the gain of adaptive batching.
   */
  public static final String VLLM_2048_SHED = "vllm-2048-shed";

  public static final String SARATHI_512_SHED = "sarathi-512-shed";

  /** SLO-aware adaptive batching planned from the engine's performance model. */
  public static final String LENS = LensScheduler.NAME;

  private static final Map<String, Function<SchedulerEnvironment, BatchScheduler>> FACTORIES =
      new LinkedHashMap<>();

  static {
    FACTORIES.put(VLLM_DEFAULT, env -> new FcfsChunkedPrefillScheduler(VLLM_DEFAULT, 8192, 256));
    FACTORIES.put(VLLM_2048, env -> new FcfsChunkedPrefillScheduler(VLLM_2048, 2048, 256));
    FACTORIES.put(SARATHI_512, env -> new FcfsChunkedPrefillScheduler(SARATHI_512, 512, 256));
    FACTORIES.put(VLLM_2048_SHED, env -> new FcfsChunkedPrefillScheduler(VLLM_2048_SHED, 2048, 256,
        env.defaultTtftMs()));
    FACTORIES.put(SARATHI_512_SHED, env -> new FcfsChunkedPrefillScheduler(SARATHI_512_SHED, 512, 256,
        env.defaultTtftMs()));
    FACTORIES.put(LENS, env -> LensScheduler.selfPlanning(env, LensSchedulerConfig.defaults(),
        new LensPlanner(LensPlannerConfig.defaults()), StepLatencyModelConfig.defaults()));
  }

  private BatchSchedulerRegistry() {}

  /**
   * A scheduler for a stand-alone engine ({@link SchedulerEnvironment#standalone}).
   *
   * @throws IllegalArgumentException naming the unknown scheduler and the known ones
   */
  public static BatchScheduler create(String name) {
    return create(name, SchedulerEnvironment.standalone("engine"));
  }

  /**
   * A scheduler for the engine described by {@code environment} (never null).
   *
   * @throws IllegalArgumentException naming the unknown scheduler and the known ones
   */
  public static BatchScheduler create(String name, SchedulerEnvironment environment) {
    Function<SchedulerEnvironment, BatchScheduler> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown scheduler '" + name + "', known: " + String.join(", ", FACTORIES.keySet()));
    }
    return factory.apply(environment);
  }

  public static Set<String> names() {
    return FACTORIES.keySet();
  }
}
