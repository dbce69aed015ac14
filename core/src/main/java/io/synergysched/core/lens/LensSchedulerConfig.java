package io.synergysched.core.lens;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;

/**
 * Settings of the engine-side {@link LensScheduler}; keys are {@code synergy.lens.*}, declared
 * below (the engines build it from {@link #defaults()}; no service reads these keys yet).
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

  public static final Setting<Integer> SAFE_TOKEN_BUDGET = Setting.integer("synergy.lens.safe-token-budget",
      2048, 1, Integer.MAX_VALUE,
      "token budget applied while no valid hint is held (a well-tuned static budget)");
  public static final Setting<Integer> MAX_STEP_TOKENS = Setting.integer("synergy.lens.max-step-tokens",
      8192, 1, Integer.MAX_VALUE,
      "most tokens a step stretched by the decodes' TPOT in hand may take, at least synergy.lens.safe-token-budget");
  public static final Setting<Integer> SAFE_MAX_NUM_SEQS = Setting.integer("synergy.lens.safe-max-num-seqs",
      256, 1, Integer.MAX_VALUE, "sequence limit without a hint");
  public static final Setting<Double> SAFE_KV_WATERMARK = Setting.number("synergy.lens.safe-kv-watermark", 0.9,
      "(0, 1]", v -> v > 0 && v <= 1, "KV admission watermark without a hint");
  public static final Setting<Double> SAFE_TPOT_MARGIN_FRACTION = Setting.number(
      "synergy.lens.safe-tpot-margin-fraction", 0.1, 0, 0.9,
      "TPOT margin without a hint (the step cap is the target times one minus this)");
  public static final Setting<Integer> KNAPSACK_ITEMS = Setting.integer("synergy.lens.knapsack-items", 32, 1,
      Integer.MAX_VALUE, "most prefills the rescue knapsack weighs at once (the most urgent)");
  public static final Setting<Integer> KNAPSACK_UNITS = Setting.integer("synergy.lens.knapsack-units", 128, 1,
      Integer.MAX_VALUE, "work quantisation of the knapsack: its largest capacity in units");
  public static final Setting<Integer> WINDOW_ITEMS = Setting.integer("synergy.lens.window-items", 8, 1,
      Integer.MAX_VALUE, "prefills the sliding-window chunker looks at");
  public static final Setting<Double> SHED_AFTER_TTFT_MULTIPLE = Setting.number(
      "synergy.lens.shed-after-ttft-multiple", 1.0, "0 (never) or >= 1", v -> v == 0 || v >= 1,
      "a deferred waiting request is shed once it has waited this many TTFT targets (its client would"
          + " have timed out); 0 never sheds");
  public static final Setting<Boolean> SHED_HOPELESS = Setting.flag("synergy.lens.shed-hopeless", true,
      "shed a waiting request as soon as it would miss its TTFT even if served first (reject it with a"
          + " retry hint at once rather than serve it late)");
  public static final Setting<Integer> MODEL_REFRESH_STEPS = Setting.integer("synergy.lens.model-refresh-steps",
      128, 1, Integer.MAX_VALUE, "steps between refreshes of the predictor from the learning model");
  public static final Setting<Double> REPLAN_INTERVAL_MS = Setting.number("synergy.lens.replan-interval-ms",
      1000, "> 0", v -> v > 0,
      "virtual or wall time between hint plans when the scheduler plans its own hints, ms");

  /** The scheduler's keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(SAFE_TOKEN_BUDGET, MAX_STEP_TOKENS, SAFE_MAX_NUM_SEQS,
      SAFE_KV_WATERMARK, SAFE_TPOT_MARGIN_FRACTION, KNAPSACK_ITEMS, KNAPSACK_UNITS, WINDOW_ITEMS,
      SHED_AFTER_TTFT_MULTIPLE, SHED_HOPELESS, MODEL_REFRESH_STEPS, REPLAN_INTERVAL_MS);

  /** Every key at its declared default. */
  public static LensSchedulerConfig defaults() {
    return new LensSchedulerConfig(SAFE_TOKEN_BUDGET.defaultValue(), MAX_STEP_TOKENS.defaultValue(),
        SAFE_MAX_NUM_SEQS.defaultValue(), SAFE_KV_WATERMARK.defaultValue(),
        SAFE_TPOT_MARGIN_FRACTION.defaultValue(), KNAPSACK_ITEMS.defaultValue(),
        KNAPSACK_UNITS.defaultValue(), WINDOW_ITEMS.defaultValue(), SHED_AFTER_TTFT_MULTIPLE.defaultValue(),
        SHED_HOPELESS.defaultValue(), MODEL_REFRESH_STEPS.defaultValue(), REPLAN_INTERVAL_MS.defaultValue());
  }

  /** The same settings with a different shedding rule. */
  public LensSchedulerConfig withShedding(double afterTtftMultiple, boolean hopeless) {
    return new LensSchedulerConfig(safeTokenBudget, maxStepTokens, safeMaxNumSeqs, safeKvWatermark, safeTpotMarginFraction,
        knapsackItems, knapsackUnits, windowItems, afterTtftMultiple, hopeless, modelRefreshSteps,
        replanIntervalMs);
  }

  /** @throws IllegalArgumentException naming the bad {@code synergy.lens.*} key */
  public LensSchedulerConfig validate() {
    SAFE_TOKEN_BUDGET.check(safeTokenBudget);
    if (maxStepTokens < safeTokenBudget) {
      throw new IllegalArgumentException(MAX_STEP_TOKENS + " must be >= " + SAFE_TOKEN_BUDGET + " ("
          + safeTokenBudget + "), was " + maxStepTokens);
    }
    SAFE_MAX_NUM_SEQS.check(safeMaxNumSeqs);
    SAFE_KV_WATERMARK.check(safeKvWatermark);
    SAFE_TPOT_MARGIN_FRACTION.check(safeTpotMarginFraction);
    KNAPSACK_ITEMS.check(knapsackItems);
    KNAPSACK_UNITS.check(knapsackUnits);
    WINDOW_ITEMS.check(windowItems);
    SHED_AFTER_TTFT_MULTIPLE.check(shedAfterTtftMultiple);
    MODEL_REFRESH_STEPS.check(modelRefreshSteps);
    REPLAN_INTERVAL_MS.check(replanIntervalMs);
    return this;
  }
}
