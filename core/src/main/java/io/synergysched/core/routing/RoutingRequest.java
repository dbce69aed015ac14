package io.synergysched.core.routing;

/**
 * What a router knows about a request when it arrives.
 *
 * @param requestId identifier unique within the run
 * @param arrivalTimeMs arrival, milliseconds
 * @param promptTokens prompt length, tokens, &gt; 0
 * @param sloTtftMs TTFT target, milliseconds, {@code Double.NaN} if none
 * @param sloTpotMs TPOT target, milliseconds per token, {@code Double.NaN} if none
 * @param sessionId conversation identifier, null if none
 * @param prefixHashes prefix block hashes (one per 512 prompt tokens, Mooncake style), never null,
 *     possibly empty; shared, do not modify
 */
public record RoutingRequest(
    long requestId,
    double arrivalTimeMs,
    int promptTokens,
    double sloTtftMs,
    double sloTpotMs,
    String sessionId,
    long[] prefixHashes) {}
