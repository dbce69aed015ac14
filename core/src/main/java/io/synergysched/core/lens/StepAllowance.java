package io.synergysched.core.lens;

import io.synergysched.core.model.predict.EnginePerformancePredictor;

/**
 * What one LENS step may take: the hint's limits (or the safe defaults without a valid hint), the
 * time the step may last, and the prefill tokens that leaves beside the decodes.
 *
 * <p>The step's time cap is the TPOT target minus the margin. TPOT is a mean over a request's
 * decode, so when every decode is ahead of its target the step may stretch to what the decode with
 * the least time in hand allows, and with no decodes at all to {@code maxStepTokens}; if the decodes
 * alone are predicted over the allowance, no prefill joins them.
 *
 * <p>Use per step: {@link #begin}, {@link #addDecode} for each decode scheduled, then
 * {@link #prefillTokens}. Single-threaded (the engine's scheduling thread); allocation-free.
 */
final class StepAllowance {

  /** Stretch the step past the planned cap only when the decodes allow at least this much more. */
  private static final double STRETCH_WORTH_IT = 1.1;

  private final LensSchedulerConfig config;
  private final double defaultTpotMs;
  /** The hint of this step, null on safe defaults. */
  private LensPlan hint;
  private int maxNumSeqs;
  private double kvWatermark;
  private double capUs;
  private int preferredChunk;
  private boolean fcfs;
  private double marginFraction;
  private int decodes;
  private long decodeContext;
  private double inHandUs;
  private double allowUs;
  private int tokenBudget;

  /**
   * @param config safe defaults and the stretch limit
   * @param defaultTpotMs TPOT target of requests that carry none, ms, &gt; 0
   */
  StepAllowance(LensSchedulerConfig config, double defaultTpotMs) {
    this.config = config;
    this.defaultTpotMs = defaultTpotMs;
    this.maxNumSeqs = config.safeMaxNumSeqs();
    this.tokenBudget = config.safeTokenBudget();
  }

  /** Starts a step under {@code validHint}, or on safe defaults when it is null. */
  void begin(LensPlan validHint) {
    hint = validHint;
    boolean hinted = validHint != null;
    maxNumSeqs = hinted ? validHint.maxNumSeqs() : config.safeMaxNumSeqs();
    kvWatermark = hinted ? validHint.kvAdmissionWatermark() : config.safeKvWatermark();
    capUs = hinted ? (validHint.tpotTargetMs() - validHint.tpotMarginMs()) * 1000.0
        : defaultTpotMs * (1 - config.safeTpotMarginFraction()) * 1000.0;
    preferredChunk = hinted ? validHint.chunkSizeTokens() : Math.min(512, config.safeTokenBudget());
    fcfs = hinted && LensPlan.FCFS.equals(validHint.priorityPolicy());
    marginFraction = hinted ? validHint.tpotMarginMs() / validHint.tpotTargetMs() : config.safeTpotMarginFraction();
    decodes = 0;
    decodeContext = 0;
    inHandUs = Double.POSITIVE_INFINITY;
  }

  /**
   * Counts one decode scheduled in this step.
   *
   * @param contextTokens its context including the token this step computes
   * @param generatedTokens tokens it has generated so far
   * @param firstTokenTimeMs when its first token came out, ms; NaN when the engine does not report it
   * @param tpotTargetMs its TPOT target, ms; NaN for the default
   * @param nowMs the step's time, ms
   */
  void addDecode(int contextTokens, int generatedTokens, double firstTokenTimeMs, double tpotTargetMs, double nowMs) {
    double tpot = Double.isNaN(tpotTargetMs) ? defaultTpotMs : tpotTargetMs;
    decodes++;
    decodeContext += contextTokens;
    double hand = Double.isNaN(firstTokenTimeMs) ? capUs
        : (tpot * generatedTokens * (1 - marginFraction) - (nowMs - firstTokenTimeMs)) * 1000.0;
    inHandUs = Math.min(inHandUs, hand);
  }

  /**
   * The prefill tokens this step may take beside its decodes, &gt;= 0, at most
   * {@code kvRoomTokens}; 0 when the decodes alone are predicted over the allowance. Sets
   * {@link #allowUs} and {@link #tokenBudget}.
   */
  int prefillTokens(EnginePerformancePredictor predictor, int kvRoomTokens) {
    allowUs = Math.max(capUs, inHandUs);
    int budget = Math.max(decodes, hint != null ? hint.tokenBudgetAt(decodes) : config.safeTokenBudget());
    int prefillMax = budget - decodes;
    if (allowUs > capUs * STRETCH_WORTH_IT) {
      int room = config.maxStepTokens() - decodes;
      int stretched = Double.isInfinite(allowUs) ? room
          : predictor.prefillCapacity(allowUs, decodes, decodeContext, 0, Math.max(0, room));
      prefillMax = Math.max(prefillMax, stretched);
    }
    prefillMax = Math.max(0, Math.min(prefillMax, kvRoomTokens));
    tokenBudget = decodes + prefillMax;
    if (decodes > 0 && predictor.predictStepUs(0, 0, 0, 0, 0, decodes, decodeContext) > allowUs) {
      prefillMax = 0;
    }
    return prefillMax;
  }

  /** Most sequences in this step. */
  int maxNumSeqs() {
    return maxNumSeqs;
  }

  /** Admit new requests only while the KV cache is used below this fraction, in (0, 1]. */
  double kvWatermark() {
    return kvWatermark;
  }

  /** The preferred prefill chunk, tokens, &gt; 0. */
  int preferredChunk() {
    return preferredChunk;
  }

  /** Whether waiting work keeps arrival order rather than slack order. */
  boolean fcfs() {
    return fcfs;
  }

  /** Decodes counted in this step. */
  int decodes() {
    return decodes;
  }

  /** Their context, tokens. */
  long decodeContext() {
    return decodeContext;
  }

  /** How long this step may last, microseconds; the cap, or more when the decodes have time in hand (possibly infinite). */
  double allowUs() {
    return allowUs;
  }

  /**
   * The latest step's token budget, decodes included, before the check that the decodes alone fit;
   * the safe budget before the first step.
   */
  int tokenBudget() {
    return tokenBudget;
  }
}
