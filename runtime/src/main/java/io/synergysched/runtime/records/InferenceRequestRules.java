package io.synergysched.runtime.records;

import io.synergysched.schemas.InferenceRequest;

/**
 * What makes an {@link InferenceRequest} routable and servable: the router dead-letters an inbound
 * request that breaks these rules, and the engine-connector applies them again to the request
 * inside each routed record (which a client may write directly). Thread-safe.
 */
public final class InferenceRequestRules {

  /** Longest request id (characters). */
  public static final int MAX_REQUEST_ID_LENGTH = 256;
  /** Longest session id (characters). */
  public static final int MAX_SESSION_ID_LENGTH = 1024;
  /** More tokens than any model's context, for the prompt and for the output bound. */
  public static final int MAX_TOKENS = 10_000_000;
  /** An SLO target beyond a day (ms) is a unit error. */
  public static final int MAX_SLO_MS = 86_400_000;
  /**
   * Arrival times are epoch milliseconds from 2000-01-01 up to 2100-01-01: a smaller one is
   * seconds, or a time relative to a trace's start, and would make every latency measured from it
   * decades long.
   */
  public static final long MIN_ARRIVAL_MS = 946_684_800_000L;
  /** See {@link #MIN_ARRIVAL_MS}. */
  public static final long MAX_ARRIVAL_MS = 4_102_444_800_000L;
  /** The largest prefix hash block (tokens): larger than any model's context. */
  public static final int MAX_PREFIX_BLOCK_TOKENS = 1 << 20;

  private InferenceRequestRules() {}

  /** The first reason {@code r} (not null) cannot be routed or served, or null when it can. */
  public static String problem(InferenceRequest r) {
    if (r.getRequestId().isBlank()) {
      return "requestId is empty";
    }
    if (r.getRequestId().length() > MAX_REQUEST_ID_LENGTH) {
      return "requestId longer than " + MAX_REQUEST_ID_LENGTH + " characters";
    }
    if (r.getPromptTokens() <= 0 || r.getPromptTokens() > MAX_TOKENS) {
      return "promptTokens must be in [1, " + MAX_TOKENS + "], was " + r.getPromptTokens();
    }
    if (r.getMaxOutputTokens() <= 0 || r.getMaxOutputTokens() > MAX_TOKENS) {
      return "maxOutputTokens must be in [1, " + MAX_TOKENS + "], was " + r.getMaxOutputTokens();
    }
    if (r.getSloTtftMs() == null || r.getSloTpotMs() == null) {
      return "missing SLO: sloTtftMs and sloTpotMs are required";
    }
    if (r.getSloTtftMs() <= 0 || r.getSloTpotMs() <= 0) {
      return "SLO targets must be positive";
    }
    if (r.getSloTtftMs() > MAX_SLO_MS || r.getSloTpotMs() > MAX_SLO_MS) {
      return "SLO targets beyond a day";
    }
    if (r.getPrefixBlockHashes() != null && r.getPrefixBlockHashes().size() > r.getPromptTokens()) {
      return "more prefix block hashes (" + r.getPrefixBlockHashes().size() + ") than prompt tokens";
    }
    if (r.getSessionId() != null && r.getSessionId().length() > MAX_SESSION_ID_LENGTH) {
      return "sessionId longer than " + MAX_SESSION_ID_LENGTH + " characters";
    }
    if (r.getArrivalTimeMs() < MIN_ARRIVAL_MS || r.getArrivalTimeMs() >= MAX_ARRIVAL_MS) {
      return "arrivalTimeMs must be epoch milliseconds from 2000-01-01 up to 2100-01-01, was "
          + r.getArrivalTimeMs();
    }
    if (r.getPrefixBlockSizeTokens() < 1 || r.getPrefixBlockSizeTokens() > MAX_PREFIX_BLOCK_TOKENS) {
      return "prefixBlockSizeTokens must be in [1, " + MAX_PREFIX_BLOCK_TOKENS + "], was "
          + r.getPrefixBlockSizeTokens();
    }
    return null;
  }
}
