package io.synergysched.core.lens;
import io.synergysched.core.setting.Settings;

/**
 * Settings of the {@link LensPlanner}; keys are {@code synergy.lens.*}.
 *
 * @param tpotMarginFraction share of the TPOT target kept as margin (covers model error and the
 *     noise of one step), in [0, 0.9]
 * @param hintTtlMs how long a hint stays valid after it was planned, ms, &gt; 0
 * @param maxNumSeqs upper bound on sequences per step (vLLM's {@code max_num_seqs}), &gt; 0
 * @param maxTokenBudget upper bound on tokens per step, &gt;= maxNumSeqs
 * @param chunkEfficiency the preferred chunk is the smallest whose per-token cost is within this
 *     share of the best chunk's, in (0, 1]
 * @param kvReserveSteps decode steps of KV growth the admission watermark keeps free for the
 *     running sequences, &gt;= 0
 */
public record LensPlannerConfig(
    double tpotMarginFraction,
    long hintTtlMs,
    int maxNumSeqs,
    int maxTokenBudget,
    double chunkEfficiency,
    int kvReserveSteps) {

  /** Prefix of every planner key. */
  public static final String PREFIX = "synergy.lens.";

  /** The keys {@link #fromProperties} reads, prefix included. */
  public static final java.util.List<String> KEYS = java.util.stream.Stream.of(
          "tpot-margin-fraction", "hint-ttl-ms", "max-num-seqs", "max-token-budget", "chunk-efficiency",
          "kv-reserve-steps")
      .map(k -> PREFIX + k)
      .toList();

  public static LensPlannerConfig defaults() {
    return new LensPlannerConfig(0.05, 10_000, 256, 8192, 0.9, 0);
  }

  /**
   * The planner keys of {@code properties} over the defaults, validated.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static LensPlannerConfig fromProperties(java.util.Map<String, String> properties) {
    LensPlannerConfig d = defaults();
    return new LensPlannerConfig(
        read(properties, "tpot-margin-fraction", Double::parseDouble, d.tpotMarginFraction()),
        read(properties, "hint-ttl-ms", Long::parseLong, d.hintTtlMs()),
        read(properties, "max-num-seqs", Integer::parseInt, d.maxNumSeqs()),
        read(properties, "max-token-budget", Integer::parseInt, d.maxTokenBudget()),
        read(properties, "chunk-efficiency", Double::parseDouble, d.chunkEfficiency()),
        read(properties, "kv-reserve-steps", Integer::parseInt, d.kvReserveSteps()))
        .validate();
  }

  private static <T> T read(java.util.Map<String, String> properties, String key,
      java.util.function.Function<String, T> parser, T fallback) {
    return Settings.value(properties, PREFIX + key, parser, fallback);
  }


  /** @throws IllegalArgumentException naming the bad {@code synergy.lens.*} key */
  public LensPlannerConfig validate() {
    if (!(tpotMarginFraction >= 0 && tpotMarginFraction <= 0.9)) {
      throw new IllegalArgumentException(
          "synergy.lens.tpot-margin-fraction must be in [0, 0.9], got " + tpotMarginFraction);
    }
    if (hintTtlMs <= 0) {
      throw new IllegalArgumentException("synergy.lens.hint-ttl-ms must be > 0, got " + hintTtlMs);
    }
    if (maxNumSeqs <= 0) {
      throw new IllegalArgumentException("synergy.lens.max-num-seqs must be > 0, got " + maxNumSeqs);
    }
    if (maxTokenBudget < maxNumSeqs) {
      throw new IllegalArgumentException(
          "synergy.lens.max-token-budget must be >= max-num-seqs, got " + maxTokenBudget);
    }
    if (!(chunkEfficiency > 0 && chunkEfficiency <= 1)) {
      throw new IllegalArgumentException(
          "synergy.lens.chunk-efficiency must be in (0, 1], got " + chunkEfficiency);
    }
    if (kvReserveSteps < 0) {
      throw new IllegalArgumentException("synergy.lens.kv-reserve-steps must be >= 0, got " + kvReserveSteps);
    }
    return this;
  }
}
