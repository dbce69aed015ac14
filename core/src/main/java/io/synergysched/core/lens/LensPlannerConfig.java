package io.synergysched.core.lens;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the {@link LensPlanner}; keys are {@code synergy.lens.*}, declared below.
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

  public static final Setting<Double> TPOT_MARGIN_FRACTION = Setting.number(
      "synergy.lens.tpot-margin-fraction", 0.05, 0, 0.9,
      "share of the TPOT target kept as margin (covers model error and the noise of one step)");
  public static final Setting<Duration> HINT_TTL = Setting.millis("synergy.lens.hint-ttl-ms", 10_000, 1,
      Long.MAX_VALUE, "how long a hint stays valid after it was planned");
  public static final Setting<Integer> MAX_NUM_SEQS = Setting.integer("synergy.lens.max-num-seqs", 256, 1,
      Integer.MAX_VALUE, "upper bound on sequences per step (vLLM's max_num_seqs)");
  public static final Setting<Integer> MAX_TOKEN_BUDGET = Setting.integer("synergy.lens.max-token-budget",
      8192, 1, Integer.MAX_VALUE, "upper bound on tokens per step, at least synergy.lens.max-num-seqs");
  public static final Setting<Double> CHUNK_EFFICIENCY = Setting.number("synergy.lens.chunk-efficiency", 0.9,
      "(0, 1]", v -> v > 0 && v <= 1,
      "the preferred chunk is the smallest whose per-token cost is within this share of the best chunk's");
  public static final Setting<Integer> KV_RESERVE_STEPS = Setting.integer("synergy.lens.kv-reserve-steps", 0,
      0, Integer.MAX_VALUE,
      "decode steps of KV growth the admission watermark keeps free for the running sequences");

  /** The planner's keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(TPOT_MARGIN_FRACTION, HINT_TTL, MAX_NUM_SEQS,
      MAX_TOKEN_BUDGET, CHUNK_EFFICIENCY, KV_RESERVE_STEPS);

  public static LensPlannerConfig defaults() {
    return fromProperties(Map.of());
  }

  /**
   * The planner keys of {@code properties} over the defaults, validated.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static LensPlannerConfig fromProperties(Map<String, String> properties) {
    return new LensPlannerConfig(
        TPOT_MARGIN_FRACTION.read(properties),
        HINT_TTL.read(properties).toMillis(),
        MAX_NUM_SEQS.read(properties),
        MAX_TOKEN_BUDGET.read(properties),
        CHUNK_EFFICIENCY.read(properties),
        KV_RESERVE_STEPS.read(properties))
        .validate();
  }

  /** @throws IllegalArgumentException naming the bad {@code synergy.lens.*} key */
  public LensPlannerConfig validate() {
    TPOT_MARGIN_FRACTION.check(tpotMarginFraction);
    HINT_TTL.check(Duration.ofMillis(hintTtlMs));
    MAX_NUM_SEQS.check(maxNumSeqs);
    MAX_TOKEN_BUDGET.check(maxTokenBudget);
    if (maxTokenBudget < maxNumSeqs) {
      throw new IllegalArgumentException(MAX_TOKEN_BUDGET + " must be >= " + MAX_NUM_SEQS + " ("
          + maxNumSeqs + "), was " + maxTokenBudget);
    }
    CHUNK_EFFICIENCY.check(chunkEfficiency);
    KV_RESERVE_STEPS.check(kvReserveSteps);
    return this;
  }
}
