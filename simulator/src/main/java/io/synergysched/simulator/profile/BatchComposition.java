package io.synergysched.simulator.profile;

/**
 * The structure of one step's batch, as the step-time recipe needs it: prefill chunks (tokens
 * computed now, tokens already cached behind them) and decodes (context length). Mutable and
 * reused across steps so the engine's hot path allocates nothing.
 */
public final class BatchComposition {

  private int prefillTokens;
  private int prefillChunks;
  private long chunkSqSum;
  private long cachedContextSum;
  private long cachedContextRoundedSum;
  private long chunkContextProduct;
  private int decodes;
  private long decodeContextSum;

  public BatchComposition clear() {
    prefillTokens = 0;
    prefillChunks = 0;
    chunkSqSum = 0;
    cachedContextSum = 0;
    cachedContextRoundedSum = 0;
    chunkContextProduct = 0;
    decodes = 0;
    decodeContextSum = 0;
    return this;
  }

  /**
   * @param tokens tokens of this request computed in the step, &gt; 0
   * @param cached tokens of this request already in the KV cache, &gt;= 0
   */
  public BatchComposition addPrefillChunk(int tokens, int cached) {
    prefillTokens += tokens;
    prefillChunks++;
    chunkSqSum += (long) tokens * tokens;
    cachedContextSum += cached;
    cachedContextRoundedSum += roundUp(cached, ProfiledStepLatency.KV_ROUNDING);
    chunkContextProduct += (long) tokens * cached;
    return this;
  }

  /** @param context tokens the decode attends to (its KV length), &gt; 0 */
  public BatchComposition addDecode(int context) {
    decodes++;
    decodeContextSum += context;
    return this;
  }

  /** Adds {@code count} decodes that all attend to {@code context} tokens. */
  public BatchComposition addDecodes(int count, int context) {
    decodes += count;
    decodeContextSum += (long) count * context;
    return this;
  }

  static long roundUp(long value, int multiple) {
    return (value + multiple - 1) / multiple * multiple;
  }

  public int prefillTokens() {
    return prefillTokens;
  }

  public int prefillChunks() {
    return prefillChunks;
  }

  public long chunkSqSum() {
    return chunkSqSum;
  }

  public long cachedContextSum() {
    return cachedContextSum;
  }

  public long cachedContextRoundedSum() {
    return cachedContextRoundedSum;
  }

  public long chunkContextProduct() {
    return chunkContextProduct;
  }

  public int decodes() {
    return decodes;
  }

  public long decodeContextSum() {
    return decodeContextSum;
  }

  public int totalTokens() {
    return prefillTokens + decodes;
  }

  public boolean isEmpty() {
    return prefillTokens == 0 && decodes == 0;
  }
}
