package io.synergysched.core.scheduling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Batch schedulers by kebab-case name, so an experiment picks one by configuration. A new policy
 * registers itself here with one line.
 */
public final class BatchSchedulerRegistry {

  /** vLLM server defaults: {@code max_num_batched_tokens} 8192, {@code max_num_seqs} 256. */
  public static final String VLLM_DEFAULT = "vllm-default";

  /** Sarathi-Serve with static 512-token chunks. */
  public static final String SARATHI_512 = "sarathi-512";

  private static final Map<String, Supplier<BatchScheduler>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put(VLLM_DEFAULT, () -> new FcfsChunkedPrefillScheduler(VLLM_DEFAULT, 8192, 256));
    FACTORIES.put(SARATHI_512, () -> new FcfsChunkedPrefillScheduler(SARATHI_512, 512, 256));
  }

  private BatchSchedulerRegistry() {}

  /**
   * @throws IllegalArgumentException naming the unknown scheduler and the known ones
   */
  public static BatchScheduler create(String name) {
    Supplier<BatchScheduler> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown scheduler '" + name + "', known: " + String.join(", ", FACTORIES.keySet()));
    }
    return factory.get();
  }

  public static Set<String> names() {
    return FACTORIES.keySet();
  }
}
