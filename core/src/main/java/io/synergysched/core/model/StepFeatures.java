package io.synergysched.core.model;

import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.core.telemetry.StepObservationValidator;

/**
 * The structural feature vector of one engine step, shared by the online fit, the offline prior fit
 * and every prediction, so a coefficient always means the same thing.
 *
 * <p>Each feature is a term of the Vidur step-time recipe (see {@code docs/performance-model.md}):
 *
 * <ol start="0">
 *   <li>{@link #CONSTANT}: weight reads, kernel launches, framework overhead per step
 *   <li>{@link #TOKENS}: tokens through the linear layers, {@code T = prefill + decodes}; the
 *       memory-bound slope below the knee
 *   <li>{@link #TOKENS_ABOVE_KNEE}: {@code max(0, T - knee)}, the extra compute-bound slope
 *   <li>{@link #PREFILL_CHUNK_SQUARES}: sum of squared chunk lengths, causal attention inside a chunk
 *   <li>{@link #PREFILL_CHUNK_CONTEXT}: sum of chunk x cached context, a chunk attending to its prefix
 *   <li>{@link #PREFILL_CACHED_CONTEXT}: cached context behind the chunks, reading the prefix KV
 *   <li>{@link #DECODE_CONTEXT}: summed decode context, the KV bytes the decodes read
 *   <li>{@link #SEQUENCES}: sequences in the batch, per-sequence sampling and scheduling overhead
 * </ol>
 *
 * <p>Features are divided by fixed scales so a typical step has entries of order one; this keeps the
 * decayed normal equations well conditioned without data-dependent scaling, which would make two
 * snapshots' coefficients incomparable. All methods are static, allocation-free and thread-safe.
 */
public final class StepFeatures {

  public static final int CONSTANT = 0;
  public static final int TOKENS = 1;
  public static final int TOKENS_ABOVE_KNEE = 2;
  public static final int PREFILL_CHUNK_SQUARES = 3;
  public static final int PREFILL_CHUNK_CONTEXT = 4;
  public static final int PREFILL_CACHED_CONTEXT = 5;
  public static final int DECODE_CONTEXT = 6;
  public static final int SEQUENCES = 7;

  /** Number of features. */
  public static final int DIMENSION = 8;

  private static final String[] NAMES = {
    "constant",
    "tokens",
    "tokens_above_knee",
    "prefill_chunk_squares",
    "prefill_chunk_context",
    "prefill_cached_context",
    "decode_context",
    "sequences"
  };

  /** Natural units per scaled unit, per feature: the scaled feature is {@code natural / SCALE}. */
  private static final double[] SCALES = {
    1.0, 1024.0, 1024.0, 1024.0 * 1024.0, 1024.0 * 1024.0, 4096.0, 65536.0, 64.0
  };

  private StepFeatures() {}

  /** Stable snake_case name of feature {@code index}, for snapshots and logs. */
  public static String name(int index) {
    return NAMES[index];
  }

  /** How many natural units (tokens, tokens^2, sequences) one scaled unit of feature {@code index} is. */
  public static double scale(int index) {
    return SCALES[index];
  }

  /**
   * Whether physics demands a non-negative coefficient: more work never makes a step faster. Only
   * the constant is free, because the hinge approximation of the GEMM curve may need a small
   * negative intercept.
   */
  public static boolean isWork(int index) {
    return index != CONSTANT;
  }

  /** Fills {@code out} (length &gt;= {@link #DIMENSION}) with the scaled features of an observed step. */
  public static void fill(double[] out, StepObservation step, double kneeTokens) {
    fill(
        out,
        step.prefillTokens(),
        step.prefillChunks(),
        step.prefillChunkSqSum(),
        step.prefillCachedContext(),
        step.prefillChunkContextProduct(),
        step.decodeSeqs(),
        step.decodeContextSum(),
        kneeTokens);
  }

  /**
   * Fills {@code out} with the scaled features of a step composition. Arguments are the fields of
   * {@link StepObservation} with the same names; doubles so hypothetical steps need not round.
   */
  public static void fill(
      double[] out,
      double prefillTokens,
      double prefillChunks,
      double prefillChunkSqSum,
      double prefillCachedContext,
      double prefillChunkContextProduct,
      double decodeSeqs,
      double decodeContextSum,
      double kneeTokens) {
    double tokens = prefillTokens + decodeSeqs;
    out[CONSTANT] = 1.0;
    out[TOKENS] = tokens / SCALES[TOKENS];
    out[TOKENS_ABOVE_KNEE] = Math.max(0.0, tokens - kneeTokens) / SCALES[TOKENS_ABOVE_KNEE];
    out[PREFILL_CHUNK_SQUARES] = prefillChunkSqSum / SCALES[PREFILL_CHUNK_SQUARES];
    out[PREFILL_CHUNK_CONTEXT] = prefillChunkContextProduct / SCALES[PREFILL_CHUNK_CONTEXT];
    out[PREFILL_CACHED_CONTEXT] = prefillCachedContext / SCALES[PREFILL_CACHED_CONTEXT];
    out[DECODE_CONTEXT] = decodeContextSum / SCALES[DECODE_CONTEXT];
    out[SEQUENCES] = (prefillChunks + decodeSeqs) / SCALES[SEQUENCES];
  }

  /**
   * Whether an observation can be learned from: {@link StepObservationValidator} finds nothing
   * wrong with it (positive duration, counts that can describe a real step). Implausible telemetry
   * must be dropped before it reaches a model. Allocation-free for plausible steps.
   */
  public static boolean isPlausible(StepObservation step) {
    return StepObservationValidator.problem(step) == null;
  }
}
