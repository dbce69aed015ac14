package io.synergysched.core.scheduling;

/**
 * One engine step as seen by a {@link BatchScheduler}: the queues, the KV cache and the actions
 * that put tokens into the step's batch. The engine owns the KV cache and applies its own
 * mechanics (block allocation, prefix-cache hits, preemption by recompute); the scheduler only
 * decides who gets how many tokens. Single-threaded: valid only inside one {@code schedule} call.
 */
public interface SchedulingContext {

  /** Start of the step being planned, milliseconds. */
  double nowMs();

  /** Requests admitted and holding KV blocks, in admission order (vLLM's running list). */
  int runningCount();

  /** The running request at {@code index}, 0 &lt;= index &lt; {@link #runningCount()}. */
  SchedulableRequest running(int index);

  /** Requests not yet admitted (or preempted back), in queue order: preempted ones first. */
  int waitingCount();

  /** The waiting request at {@code index}, 0 &lt;= index &lt; {@link #waitingCount()}. */
  SchedulableRequest waiting(int index);

  /** KV-cache block size, tokens per block. */
  int blockSize();

  /** KV blocks that can be handed out now (free plus evictable cached blocks). */
  int freeBlocks();

  /** KV-cache capacity, blocks. */
  int totalBlocks();

  /**
   * Puts {@code tokens} more tokens of running request {@code index} into this step. When the KV
   * cache cannot hold them the engine preempts by recompute, taking victims as vLLM does (the
   * last request of the running list, which has not been scheduled in this step yet), and
   * retries. Preempted requests leave the running list (indices after {@code index} shift) and go
   * to the front of the waiting queue.
   *
   * @param tokens 1 &lt;= tokens &lt;= the request's {@link SchedulableRequest#tokensToCompute()}
   * @return true when scheduled; false when the request had to preempt itself (it is then no
   *     longer running, and nothing after it can be scheduled)
   */
  boolean scheduleRunning(int index, int tokens);

  /**
   * Admits waiting request {@code index} with {@code tokens} tokens in this step, granting its
   * prefix-cache hit first. Never preempts.
   *
   * @param tokens 1 &lt;= tokens &lt;= the request's {@link SchedulableRequest#tokensToCompute()}
   * @return true when admitted (it moves to the end of the running list); false when the KV
   *     cache cannot hold it now (nothing changes)
   */
  boolean admitWaiting(int index, int tokens);

  /** Requests preempted so far while planning this step. */
  int preemptionsThisStep();

  /**
   * Sheds waiting request {@code index}: the engine answers it now with a rejection carrying a
   * retry hint (HTTP 429/503 with Retry-After in a deployment, so the client or gateway retries
   * later or elsewhere) instead of letting it wait for a TTFT it can no longer meet. Indices
   * after {@code index} shift down by one. Engines that cannot shed keep the default.
   *
   * @return true when shed; false when this engine does not shed (nothing changes)
   */
  default boolean shedWaiting(int index) {
    return false;
  }
}
