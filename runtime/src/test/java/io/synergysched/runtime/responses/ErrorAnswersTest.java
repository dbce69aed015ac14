package io.synergysched.runtime.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.EndpointKind;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.InferenceResponse;
import io.synergysched.schemas.RequestPayload;
import io.synergysched.schemas.ResponseKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorAnswersTest {

  private static InferenceRequest request(boolean payload, String replyTo) {
    return InferenceRequest.newBuilder()
        .setRequestId("req-7").setArrivalTimeMs(1_700_000_000_000L).setPromptTokens(10)
        .setMaxOutputTokens(5).setSloTtftMs(1_000).setSloTpotMs(100)
        .setPayload(payload ? new RequestPayload(EndpointKind.CHAT, "{\"messages\":[{}]}") : null)
        .setReplyTo(replyTo).setCorrelationId("corr-1").build();
  }

  @Test
  void shouldAnswerOnlyRequestsWithAPayloadOnTheirReplyTopicWhenTheyNameOne() {
    assertThat(ErrorAnswers.answered(request(false, null))).isFalse();
    assertThat(ErrorAnswers.answered(request(true, null))).isTrue();
    assertThat(ErrorAnswers.replyTopic(request(true, null))).isEqualTo("synergy.responses");
    assertThat(ErrorAnswers.replyTopic(request(true, "gw-2.replies"))).isEqualTo("gw-2.replies");
  }

  @ParameterizedTest
  @CsvSource({
      "SHED, rate_limit_error, shed, 429, error",
      "MODEL_NOT_FOUND, invalid_request_error, model_not_found, 404, error",
      "CONTEXT_LENGTH_EXCEEDED, invalid_request_error, context_length_exceeded, 400, error",
      "INVALID_REQUEST, invalid_request_error, invalid_request, 400, error",
      "ENGINE_REJECTED, server_error, engine_rejected, 503, error",
      "ENGINE_LOST, server_error, engine_lost, 503, error",
      "CANCELLED, cancelled, cancelled, 499, cancelled"})
  void shouldEndTheAnswerWithOneFinalInOpenAisErrorShapeWhenARequestFails(
      ErrorAnswers.Kind kind, String type, String code, int status, String finishReason) {
    InferenceResponse r = ErrorAnswers.finalError(request(true, null), 3, kind, "why", "e1", 42L);

    assertThat(r.getKind()).isEqualTo(ResponseKind.FINAL);
    assertThat(r.getRequestId()).isEqualTo("req-7");
    assertThat(r.getCorrelationId()).isEqualTo("corr-1");
    assertThat(r.getSequence()).isEqualTo(3);
    assertThat(r.getEngineId()).isEqualTo("e1");
    assertThat(r.getEventTimeMs()).isEqualTo(42L);
    assertThat(r.getFinishReason()).isEqualTo(finishReason);
    assertThat(r.getDeltaText()).isNull();
    assertThat(r.getError().getType()).isEqualTo(type);
    assertThat(r.getError().getCode()).isEqualTo(code);
    assertThat(r.getError().getHttpStatus()).isEqualTo(status);
    assertThat(r.getError().getMessage()).isEqualTo("why");
  }
}
