package io.synergysched.simulator.engine;

import io.synergysched.core.scheduling.SchedulableRequest;

/**
 * A request inside a simulated engine: its trace attributes, its progress and its KV block table.
 * Mutable, owned by one engine at a time, single-threaded.
 */
public final class SimRequest implements SchedulableRequest {

  /** Prompt tokens per prefix hash, as in Mooncake's {@code hash_ids}. */
  public static final int PREFIX_HASH_BLOCK_TOKENS = 512;

  enum State { NEW, WAITING, RUNNING, FINISHED, REJECTED }

  private final long requestId;
  private final double arrivalTimeMs;
  private final int promptTokens;
  private final int outputTokens;
  private final double sloTtftMs;
  private final double sloTpotMs;
  private final long[] prefixHashes;

  State state = State.NEW;
  int generated;
  int computed;
  /** Prefix-cache hit a waiting request would get if admitted now, tokens. */
  int pendingHitTokens;
  int cachedTokens;
  /** Prompt blocks already offered to the prefix cache. */
  int registeredBlocks;
  int preemptions;
  /** Rejected by the scheduler with a retry hint after it could no longer meet its TTFT. */
  boolean shed;
  int[] blocks;
  int blockCount;
  /** Tokens scheduled in the current step, 0 when not in the batch. */
  int scheduledTokens;
  double firstTokenTimeMs = Double.NaN;
  double finishTimeMs = Double.NaN;

  /**
   * @param prefixHashes one hash per 512 prompt tokens (the last may cover a partial block), or
   *     an empty array; the engine derives its 16-token block keys from them
   */
  public SimRequest(
      long requestId, double arrivalTimeMs, int promptTokens, int outputTokens, double sloTtftMs,
      double sloTpotMs, long[] prefixHashes) {
    if (promptTokens < 1 || outputTokens < 1) {
      throw new IllegalArgumentException("request " + requestId
          + " needs prompt and output tokens >= 1, got " + promptTokens + "/" + outputTokens);
    }
    this.requestId = requestId;
    this.arrivalTimeMs = arrivalTimeMs;
    this.promptTokens = promptTokens;
    this.outputTokens = outputTokens;
    this.sloTtftMs = sloTtftMs;
    this.sloTpotMs = sloTpotMs;
    this.prefixHashes = prefixHashes;
  }

  @Override
  public long requestId() {
    return requestId;
  }

  @Override
  public double arrivalTimeMs() {
    return arrivalTimeMs;
  }

  @Override
  public int promptTokens() {
    return promptTokens;
  }

  @Override
  public int outputTokens() {
    return outputTokens;
  }

  @Override
  public int generatedTokens() {
    return generated;
  }

  @Override
  public int computedTokens() {
    return computed;
  }

  /** Prompt plus generated tokens: what must be in the KV cache before the next sample. */
  int sequenceLength() {
    return promptTokens + generated;
  }

  @Override
  public int tokensToCompute() {
    int start = state == State.WAITING ? pendingHitTokens : computed;
    return sequenceLength() - start;
  }

  @Override
  public boolean isPrefilling() {
    return tokensToCompute() > 1 || computed < promptTokens;
  }

  @Override
  public double sloTtftMs() {
    return sloTtftMs;
  }

  @Override
  public double sloTpotMs() {
    return sloTpotMs;
  }

  @Override
  public int preemptions() {
    return preemptions;
  }

  public long[] prefixHashes() {
    return prefixHashes;
  }

  /** When the first output token was produced, ms; NaN before. */
  public double firstTokenTimeMs() {
    return firstTokenTimeMs;
  }

  /** When the last output token was produced, ms; NaN before. */
  public double finishTimeMs() {
    return finishTimeMs;
  }

  public boolean isFinished() {
    return state == State.FINISHED;
  }

  public boolean isRejected() {
    return state == State.REJECTED;
  }

  /** Whether the engine's scheduler shed this request (a rejection with a retry hint). */
  public boolean wasShed() {
    return shed;
  }

  /** Prompt tokens served from the prefix cache at the latest admission. */
  public int cachedTokens() {
    return cachedTokens;
  }

  /**
   * Content key of 16-token prompt block {@code block}, or {@link Long#MIN_VALUE} when unknown
   * (no hash for it, or it is not a full prompt block). Blocks inside one 512-token hash block
   * are told apart by their position, and the hash already identifies the whole prefix.
   */
  long blockKey(int block, int blockSize) {
    int blocksPerHash = PREFIX_HASH_BLOCK_TOKENS / blockSize;
    int hashIndex = block / blocksPerHash;
    if (hashIndex >= prefixHashes.length || (block + 1) * blockSize > promptTokens) {
      return Long.MIN_VALUE;
    }
    long h = prefixHashes[hashIndex] * 0xC2B2AE3D27D4EB4FL;
    return (h ^ (h >>> 29)) * 64 + block % blocksPerHash;
  }

  void ensureBlockCapacity(int needed) {
    if (blocks == null || blocks.length < needed) {
      int size = Math.max(needed, (promptTokens + outputTokens + 15) / 16 + 1);
      int[] grown = new int[Math.max(size, blocks == null ? 0 : blocks.length * 2)];
      if (blocks != null) {
        System.arraycopy(blocks, 0, grown, 0, blockCount);
      }
      blocks = grown;
    }
  }
}
