package io.synergysched.runtime.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.schemas.EndpointKind;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestPayload;
import java.util.regex.Pattern;

/**
 * What makes an {@link InferenceRequest} routable and servable: the router dead-letters an inbound
 * request that breaks these rules, and the engine-connector applies them again to the request
 * inside each routed record (which a client may write directly). Thread-safe.
 *
 * <p>Two kinds of problem: {@link #fieldProblem} (the request cannot be routed, or its answer has
 * nowhere to go) and {@link #payloadProblem} (the OpenAI request it carries is malformed: the
 * router dead-letters it and also answers it with a 400, since it knows where the answer goes).
 * {@link #problem} is both.
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

  /** Longest correlation id (characters). */
  public static final int MAX_CORRELATION_ID_LENGTH = 1024;
  /** Largest OpenAI request body (characters): 4 MiB, the gateway's own body limit. */
  public static final int MAX_BODY_CHARS = 4 << 20;
  /** Kafka's rule for a topic name (and its longest, 249 characters). */
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private InferenceRequestRules() {}

  /** The first reason {@code r} (not null) cannot be routed or served, or null when it can. */
  public static String problem(InferenceRequest r) {
    String problem = fieldProblem(r);
    return problem != null ? problem : payloadProblem(r);
  }

  /**
   * The first reason {@code r} (not null) cannot be routed, or its answer delivered, or null when
   * it can: every rule but the payload's body.
   */
  public static String fieldProblem(InferenceRequest r) {
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
    String replyTo = r.getReplyTo();
    if (replyTo != null && (!TOPIC_NAME.matcher(replyTo).matches() || replyTo.equals(".")
        || replyTo.equals(".."))) {
      return "replyTo '" + abbreviate(replyTo) + "' is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)";
    }
    if (r.getCorrelationId() != null && r.getCorrelationId().length() > MAX_CORRELATION_ID_LENGTH) {
      return "correlationId longer than " + MAX_CORRELATION_ID_LENGTH + " characters";
    }
    return null;
  }

  /**
   * What is wrong with the OpenAI request {@code r} carries, or null when it carries none (a trace
   * replay) or a well-formed one: a known endpoint, a body that is a JSON object with
   * {@code messages} (chat: a non-empty array) or {@code prompt} (completion), and a positive
   * {@code max_tokens} / {@code max_completion_tokens} where given. Messages in the client's
   * convention (OpenAI's error messages name the field).
   */
  public static String payloadProblem(InferenceRequest r) {
    RequestPayload payload = r.getPayload();
    if (payload == null) {
      return null;
    }
    if (payload.getEndpoint() == EndpointKind.UNKNOWN) {
      return "payload.endpoint is UNKNOWN: CHAT (/v1/chat/completions) or COMPLETION (/v1/completions)";
    }
    String body = payload.getBody();
    if (body.length() > MAX_BODY_CHARS) {
      return "payload.body longer than " + MAX_BODY_CHARS + " characters";
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return "payload.body is not valid JSON: " + e.getOriginalMessage();
    }
    if (json == null || !json.isObject()) {
      return "payload.body must be a JSON object";
    }
    if (payload.getEndpoint() == EndpointKind.CHAT) {
      JsonNode messages = json.get("messages");
      if (messages == null || messages.isNull()) {
        return "'messages' is a required property";
      }
      if (!messages.isArray() || messages.isEmpty()) {
        return "'messages' must be a non-empty array";
      }
    } else {
      JsonNode prompt = json.get("prompt");
      if (prompt == null || prompt.isNull()) {
        return "'prompt' is a required property";
      }
      if (!prompt.isTextual() && !prompt.isArray()) {
        return "'prompt' must be a string or an array";
      }
    }
    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      JsonNode max = json.get(field);
      if (max != null && !max.isNull() && (!max.canConvertToInt() || !max.isIntegralNumber()
          || max.intValue() < 1)) {
        return "'" + field + "' must be a positive integer, was " + abbreviate(max.toString());
      }
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
