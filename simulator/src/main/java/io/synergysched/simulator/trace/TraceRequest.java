package io.synergysched.simulator.trace;

/**
 * One request of a trace.
 *
 * @param arrivalMs arrival, ms from the trace's first request (or the window start)
 * @param promptTokens prompt length, tokens, &gt;= 1
 * @param outputTokens output length, tokens, &gt;= 1
 * @param sloTtftMs TTFT target, ms, NaN when the trace has none (the scenario's applies)
 * @param sloTpotMs TPOT target, ms, NaN when the trace has none
 * @param sessionId conversation id, null if none
 * @param prefixHashes prefix block hashes, one per 512 prompt tokens; empty if none; do not modify
 */
public record TraceRequest(
    double arrivalMs,
    int promptTokens,
    int outputTokens,
    double sloTtftMs,
    double sloTpotMs,
    String sessionId,
    long[] prefixHashes) {

  static final long[] NO_HASHES = {};

  public static TraceRequest of(double arrivalMs, int promptTokens, int outputTokens) {
    return new TraceRequest(arrivalMs, promptTokens, outputTokens, Double.NaN, Double.NaN, null, NO_HASHES);
  }

  public TraceRequest withArrival(double ms) {
    return new TraceRequest(ms, promptTokens, outputTokens, sloTtftMs, sloTpotMs, sessionId, prefixHashes);
  }

  public TraceRequest withLengths(int prompt, int output, long[] hashes) {
    return new TraceRequest(arrivalMs, prompt, output, sloTtftMs, sloTpotMs, sessionId, hashes);
  }
}
