package io.synergysched.core.model.predict;

/**
 * Prefill work of one request that an engine still has to do, in queue order.
 *
 * @param remainingTokens prompt tokens still to prefill, &gt; 0
 * @param cachedTokens context already in the KV cache behind them (prefix-cache hit or chunks
 *     prefilled earlier), &gt;= 0
 */
public record PendingPrefill(int remainingTokens, int cachedTokens) {

  public PendingPrefill {
    if (remainingTokens <= 0) {
      throw new IllegalArgumentException("remainingTokens must be > 0, was " + remainingTokens);
    }
    if (cachedTokens < 0) {
      throw new IllegalArgumentException("cachedTokens must be >= 0, was " + cachedTokens);
    }
  }
}
