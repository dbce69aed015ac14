package io.synergysched.core.telemetry;

/**
 * What one engine step looked like and how long it took: the structural features a step-latency
 * model needs, independent of how they travel (the Avro {@code StepTelemetry} record mirrors it).
 *
 * <p>All counts are non-negative. Times are event time: {@code startTimeMs} in epoch milliseconds
 * (or virtual milliseconds in the simulator), {@code durationUs} in microseconds.
 *
 * @param engineId engine that ran the step, never null
 * @param stepIndex per-engine step counter, starting at 0 and increasing by one per step
 * @param startTimeMs step start, epoch milliseconds
 * @param durationUs measured step duration, microseconds, &gt; 0
 * @param prefillTokens prefill tokens scheduled in this step (sum of chunk lengths), tokens
 * @param prefillChunks number of prefill chunks (one per request that prefilled in this step)
 * @param prefillChunkSqSum sum over chunks of chunk length squared, tokens^2
 * @param prefillCachedContext sum over chunks of the KV context already cached behind the chunk, tokens
 * @param prefillChunkContextProduct sum over chunks of (chunk length x cached context behind it), tokens^2
 * @param decodeSeqs sequences decoding one token in this step
 * @param decodeContextSum sum of the KV context lengths the decodes attend to, tokens
 * @param kvBlocksUsed KV-cache blocks in use after the step, blocks
 * @param kvBlocksTotal KV-cache capacity, blocks
 * @param waiting requests waiting (not yet admitted) after the step
 * @param running requests running (admitted, holding KV) after the step
 * @param preemptions requests preempted during this step
 * @param tokenBudget the per-step token budget the scheduler applied, tokens
 */
public record StepObservation(
    String engineId,
    long stepIndex,
    long startTimeMs,
    long durationUs,
    int prefillTokens,
    int prefillChunks,
    long prefillChunkSqSum,
    long prefillCachedContext,
    long prefillChunkContextProduct,
    int decodeSeqs,
    long decodeContextSum,
    int kvBlocksUsed,
    int kvBlocksTotal,
    int waiting,
    int running,
    int preemptions,
    int tokenBudget) {

  /** Tokens the step pushed through the linear layers: prefill tokens plus one per decode. */
  public int totalTokens() {
    return prefillTokens + decodeSeqs;
  }
}
