package io.synergysched.core.scheduling;

/**
 * Read-only view of one request as an engine's batch scheduler sees it. Views are owned by the
 * engine and valid only during the {@link BatchScheduler#schedule} call that received them; keep
 * none across calls.
 *
 * <p>Token counts are non-negative. A request's sequence is its prompt followed by the tokens it
 * has generated; {@link #computedTokens()} of them already sit in the KV cache (after a
 * preemption by recompute this drops back to the prefix-cache hit, often 0).
 */
public interface SchedulableRequest {

  /** Identifier unique within the run. */
  long requestId();

  /** Arrival at the engine, milliseconds (virtual or epoch). */
  double arrivalTimeMs();

  /** Prompt length, tokens, at least 1. */
  int promptTokens();

  /** Output tokens the request will generate in total (the trace's output length), at least 1. */
  int outputTokens();

  /** Output tokens generated so far. */
  int generatedTokens();

  /** Tokens whose KV is in the cache, including prefix-cache hits. */
  int computedTokens();

  /**
   * Tokens that must be computed before the next token can be sampled: the rest of the prompt
   * (and, after a preemption, of the generated tokens) while prefilling, 1 while decoding. For a
   * waiting request this already excludes the prefix-cache hit the engine would grant on
   * admission.
   */
  int tokensToCompute();

  /** True while the request still has prompt (or recomputed) tokens to prefill. */
  boolean isPrefilling();

  /** TTFT target, milliseconds; {@code Double.NaN} when the request carries none. */
  double sloTtftMs();

  /** TPOT target, milliseconds per token; {@code Double.NaN} when the request carries none. */
  double sloTpotMs();

  /** Times this request has been preempted so far. */
  int preemptions();

  /**
   * When the first output token was produced, milliseconds on the {@link SchedulingContext#nowMs}
   * clock; {@code Double.NaN} before it, or when the engine does not say (then schedulers cannot
   * tell how much of its TPOT target a decode has in hand).
   */
  default double firstTokenTimeMs() {
    return Double.NaN;
  }
}
