package io.synergysched.core.routing;

/**
 * A prompt cut into blocks of {@code blockTokens} tokens, each with a content key that identifies
 * the block and everything before it (as a radix-tree path or vLLM's sequence hash does), for the
 * routers that keep an approximate tree of what they sent where. Keys come from the request's
 * 512-token prefix hashes (Mooncake's {@code hash_ids}, which already identify the whole prefix),
 * a block inside one hash block told apart by its position. Where the prompt has no hash (a trace
 * without them, or the tail past the last hash), the blocks get keys of their own that no other
 * request shares: such a prompt is taken to be distinct text.
 *
 * @param keys content key of block {@code i}, for {@code i < count}
 * @param tokens tokens of block {@code i}: {@code blockTokens}, except a partial last block
 * @param count number of blocks, &gt;= 0
 */
public record PromptBlocks(long[] keys, int[] tokens, int count) {

  /** Prompt tokens per prefix hash of {@link RoutingRequest#prefixHashes()}. */
  public static final int HASH_BLOCK_TOKENS = 512;

  /**
   * The blocks of {@code request}'s prompt.
   *
   * @param blockTokens tokens per block, in [1, 512] and dividing 512
   * @param withPartialLast whether a last block shorter than {@code blockTokens} counts (text
   *     matching counts it; a KV cache holds only full blocks)
   */
  public static PromptBlocks of(RoutingRequest request, int blockTokens, boolean withPartialLast) {
    if (blockTokens < 1 || blockTokens > HASH_BLOCK_TOKENS || HASH_BLOCK_TOKENS % blockTokens != 0) {
      throw new IllegalArgumentException("block tokens must divide " + HASH_BLOCK_TOKENS + ": " + blockTokens);
    }
    int prompt = request.promptTokens();
    int count = withPartialLast ? (prompt + blockTokens - 1) / blockTokens : prompt / blockTokens;
    long[] keys = new long[count];
    int[] tokens = new int[count];
    int perHash = HASH_BLOCK_TOKENS / blockTokens;
    long[] hashes = request.prefixHashes();
    for (int i = 0; i < count; i++) {
      int hashIndex = i / perHash;
      keys[i] = hashIndex < hashes.length
          ? mix(hashes[hashIndex] * perHash + i % perHash)
          : ~mix(request.requestId() * 0x9E3779B97F4A7C15L + i);
      tokens[i] = Math.min(blockTokens, prompt - i * blockTokens);
    }
    return new PromptBlocks(keys, tokens, count);
  }

  /** Prompt tokens in the first {@code blocks} blocks. */
  public int tokensIn(int blocks) {
    int sum = 0;
    for (int i = 0; i < blocks; i++) {
      sum += tokens[i];
    }
    return sum;
  }

  /** SplitMix64's finalizer: spreads neighbouring ids over the key space. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
