package io.synergysched.runtime.responses;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.InferenceResponse;
import io.synergysched.schemas.ResponseError;
import io.synergysched.schemas.ResponseKind;
import io.synergysched.schemas.Topics;

/**
 * The answers that end a request without a complete completion, in OpenAI's error shape, and the
 * rule for who is answered at all: a request with a payload, on its {@code replyTo} topic
 * ({@link Topics#RESPONSES} when it names none). Each answer is one {@code FINAL} record whose
 * error carries the HTTP status a gateway answers with (docs/contracts.md). Stateless.
 */
public final class ErrorAnswers {

  /** Why a request ended without its completion: the error's OpenAI type, code and status. */
  public enum Kind {
    /** The router shed it: no engine is predicted to meet its SLO (or its admitter refused). */
    SHED("rate_limit_error", "shed", 429, "error"),
    /** No engine of the cluster serves the model it asked for. */
    MODEL_NOT_FOUND("invalid_request_error", "model_not_found", 404, "error"),
    /** Its prompt plus its output limit is longer than every engine of its model accepts. */
    CONTEXT_LENGTH_EXCEEDED("invalid_request_error", "context_length_exceeded", 400, "error"),
    /** The OpenAI request it carries is malformed. */
    INVALID_REQUEST("invalid_request_error", "invalid_request", 400, "error"),
    /** The engine refused or failed it. */
    ENGINE_REJECTED("server_error", "engine_rejected", 503, "error"),
    /** The engine (or its connector) was lost while serving it. */
    ENGINE_LOST("server_error", "engine_lost", 503, "error"),
    /** A cancel stopped it. */
    CANCELLED("cancelled", "cancelled", 499, "cancelled");

    private final String type;
    private final String code;
    private final int httpStatus;
    private final String finishReason;

    Kind(String type, String code, int httpStatus, String finishReason) {
      this.type = type;
      this.code = code;
      this.httpStatus = httpStatus;
      this.finishReason = finishReason;
    }

    /** OpenAI's error type. */
    public String type() {
      return type;
    }

    /** The machine-readable code. */
    public String code() {
      return code;
    }

    /** The HTTP status a gateway answers with. */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private ErrorAnswers() {}

  /** True when {@code request} is to be answered: it carries an OpenAI payload. */
  public static boolean answered(InferenceRequest request) {
    return request.getPayload() != null;
  }

  /** The topic {@code request}'s answer goes to. */
  public static String replyTopic(InferenceRequest request) {
    return request.getReplyTo() != null ? request.getReplyTo() : Topics.RESPONSES.name();
  }

  /**
   * The {@code FINAL} record that ends {@code request}'s answer with an error.
   *
   * @param sequence its position in the answer: 0 when nothing was answered before it
   * @param message what went wrong, for a person
   * @param engineId the engine that served it, or null when none did
   * @param eventTimeMs when it ended (epoch ms)
   */
  public static InferenceResponse finalError(InferenceRequest request, long sequence, Kind kind,
      String message, String engineId, long eventTimeMs) {
    return InferenceResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setCorrelationId(request.getCorrelationId())
        .setSequence(sequence)
        .setKind(ResponseKind.FINAL)
        .setEventTimeMs(eventTimeMs)
        .setEngineId(engineId)
        .setFinishReason(kind.finishReason)
        .setError(ResponseError.newBuilder()
            .setType(kind.type)
            .setCode(kind.code)
            .setMessage(message)
            .setHttpStatus(kind.httpStatus)
            .build())
        .build();
  }
}
