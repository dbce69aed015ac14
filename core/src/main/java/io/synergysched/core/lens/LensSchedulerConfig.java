package io.synergysched.core.lens;

/**
 * Settings of the engine-side {@link LensScheduler}; keys are {@code synergy.lens.*}.
 *
 * @param safeTokenBudget budget applied while no valid hint is held (a well-tuned static budget),
 *     tokens, &gt; 0
 * @param maxStepTokens most tokens a step stretched by the decodes' TPOT in hand may take,
 *     &gt;= safeTokenBudget
 * @param safeMaxNumSeqs sequence limit without a hint, &gt; 0
 * @param safeKvWatermark KV admission watermark without a hint, in (0, 1]
 * @param safeTpotMarginFraction TPOT margin without a hint (the step cap is the target times
 *     one minus this), in [0, 0.9]
 * @param knapsackItems most prefills the rescue knapsack weighs at once (the most urgent), &gt; 0
 * @param knapsackUnits work quantisation of the knapsack: its largest capacity in units, &gt; 0
 * @param windowItems prefills the sliding-window chunker looks at, &gt; 0
 * @param shedAfterTtftMultiple a deferred waiting request is shed once it has waited this many
 *     TTFT targets (its client would have timed out); 0 never sheds, else &gt;= 1
 * @param shedHopeless shed a waiting request as soon as it would miss its TTFT even if served
 *     first (reject with a retry hint at once rather than serve it late)
 * @param modelRefreshSteps steps between refreshes of the predictor from the learning model, &gt; 0
 * @param replanIntervalMs virtual or wall time between hint plans when the scheduler plans its own
 *     hints, ms, &gt; 0
 */
public record LensSchedulerConfig(
    int safeTokenBudget,
    int maxStepTokens,
    int safeMaxNumSeqs,
    double safeKvWatermark,
    double safeTpotMarginFraction,
    int knapsackItems,
    int knapsackUnits,
    int windowItems,
    double shedAfterTtftMultiple,
    boolean shedHopeless,
    int modelRefreshSteps,
    double replanIntervalMs) {

  public static LensSchedulerConfig defaults() {
    return new LensSchedulerConfig(2048, 8192, 256, 0.9, 0.1, 32, 128, 8, 1.0, true, 128, 1000.0);
  }

  /** The same settings with a different shedding rule. */
  public LensSchedulerConfig withShedding(double afterTtftMultiple, boolean hopeless) {
    return new LensSchedulerConfig(safeTokenBudget, maxStepTokens, safeMaxNumSeqs, safeKvWatermark, safeTpotMarginFraction,
        knapsackItems, knapsackUnits, windowItems, afterTtftMultiple, hopeless, modelRefreshSteps,
        replanIntervalMs);
  }

  /** @throws IllegalArgumentException naming the bad {@code synergy.lens.*} key */
  public LensSchedulerConfig validate() {
    if (safeTokenBudget <= 0) {
      throw new IllegalArgumentException("synergy.lens.safe-token-budget must be > 0, got " + safeTokenBudget);
    }
    if (maxStepTokens < safeTokenBudget) {
      throw new IllegalArgumentException(
          "synergy.lens.max-step-tokens must be >= safe-token-budget, got " + maxStepTokens);
    }
    if (safeMaxNumSeqs <= 0) {
      throw new IllegalArgumentException("synergy.lens.safe-max-num-seqs must be > 0, got " + safeMaxNumSeqs);
    }
    if (!(safeKvWatermark > 0 && safeKvWatermark <= 1)) {
      throw new IllegalArgumentException("synergy.lens.safe-kv-watermark must be in (0, 1], got " + safeKvWatermark);
    }
    if (!(safeTpotMarginFraction >= 0 && safeTpotMarginFraction <= 0.9)) {
      throw new IllegalArgumentException(
          "synergy.lens.safe-tpot-margin-fraction must be in [0, 0.9], got " + safeTpotMarginFraction);
    }
    if (knapsackItems <= 0) {
      throw new IllegalArgumentException("synergy.lens.knapsack-items must be > 0, got " + knapsackItems);
    }
    if (knapsackUnits <= 0) {
      throw new IllegalArgumentException("synergy.lens.knapsack-units must be > 0, got " + knapsackUnits);
    }
    if (windowItems <= 0) {
      throw new IllegalArgumentException("synergy.lens.window-items must be > 0, got " + windowItems);
    }
    if (!(shedAfterTtftMultiple == 0 || shedAfterTtftMultiple >= 1)) {
      throw new IllegalArgumentException(
          "synergy.lens.shed-after-ttft-multiple must be 0 (never) or >= 1, got " + shedAfterTtftMultiple);
    }
    if (modelRefreshSteps <= 0) {
      throw new IllegalArgumentException("synergy.lens.model-refresh-steps must be > 0, got " + modelRefreshSteps);
    }
    if (!(replanIntervalMs > 0)) {
      throw new IllegalArgumentException("synergy.lens.replan-interval-ms must be > 0, got " + replanIntervalMs);
    }
    return this;
  }
}
