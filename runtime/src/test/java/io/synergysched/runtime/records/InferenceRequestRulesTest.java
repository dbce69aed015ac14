package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.EndpointKind;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestPayload;
import java.util.Collections;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The bounds on a request: what the router dead-letters, and why. */
class InferenceRequestRulesTest {

  /** The problem of a valid request after one change. */
  private static String problemAfter(Consumer<InferenceRequest> change) {
    InferenceRequest request = ValidRecords.request();
    change.accept(request);
    return InferenceRequestRules.problem(request);
  }

  @Test
  void shouldAcceptAPlausibleRequest() {
    assertThat(InferenceRequestRules.problem(ValidRecords.request())).isNull();
  }

  @Test
  void shouldRejectOversizedAndOutOfRangeFieldsWhenTheyBreakTheBounds() {
    assertThat(problemAfter(r -> r.setRequestId(" "))).isEqualTo("requestId is empty");
    assertThat(problemAfter(r -> r.setRequestId("x".repeat(257))))
        .isEqualTo("requestId longer than 256 characters");
    assertThat(problemAfter(r -> r.setPromptTokens(-5)))
        .isEqualTo("promptTokens must be in [1, 10000000], was -5");
    assertThat(problemAfter(r -> r.setMaxOutputTokens(0))).startsWith("maxOutputTokens must be in");
    assertThat(problemAfter(r -> r.setSloTtftMs(Integer.MAX_VALUE)))
        .isEqualTo("SLO targets beyond a day");
    assertThat(problemAfter(r -> r.setPrefixBlockHashes(Collections.nCopies(101, 7L))))
        .isEqualTo("more prefix block hashes (101) than prompt tokens");
    assertThat(problemAfter(r -> r.setSessionId("s".repeat(1025))))
        .isEqualTo("sessionId longer than 1024 characters");
    assertThat(problemAfter(r -> r.setArrivalTimeMs(-1))).startsWith("arrivalTimeMs must be epoch milliseconds");
    // seconds, or a trace-relative time: a TTFT measured from it would be decades
    assertThat(problemAfter(r -> r.setArrivalTimeMs(1000))).isEqualTo(
        "arrivalTimeMs must be epoch milliseconds from 2000-01-01 up to 2100-01-01, was 1000");
    assertThat(problemAfter(r -> r.setArrivalTimeMs(InferenceRequestRules.MAX_ARRIVAL_MS)))
        .startsWith("arrivalTimeMs must be epoch milliseconds");
    assertThat(problemAfter(r -> r.setArrivalTimeMs(InferenceRequestRules.MIN_ARRIVAL_MS))).isNull();
    assertThat(problemAfter(r -> r.setPrefixBlockSizeTokens(-1)))
        .isEqualTo("prefixBlockSizeTokens must be in [1, 1048576], was -1");
    assertThat(problemAfter(r -> r.setPrefixBlockSizeTokens(0))).startsWith("prefixBlockSizeTokens");
    assertThat(problemAfter(r -> r.setPrefixBlockSizeTokens(16))).isNull();
  }

  @Test
  void shouldRejectARequestWhenItHasNoOrANonPositiveSlo() {
    assertThat(problemAfter(r -> r.setSloTpotMs(null))).startsWith("missing SLO");
    assertThat(problemAfter(r -> r.setSloTtftMs(0))).isEqualTo("SLO targets must be positive");
  }

  /** The payload problem of a valid request carrying {@code body} for {@code endpoint}. */
  private static String payloadProblemOf(EndpointKind endpoint, String body) {
    InferenceRequest request = ValidRecords.request();
    request.setPayload(new RequestPayload(endpoint, body));
    assertThat(InferenceRequestRules.fieldProblem(request)).isNull();
    String problem = InferenceRequestRules.payloadProblem(request);
    assertThat(InferenceRequestRules.problem(request)).isEqualTo(problem);
    return problem;
  }

  @Test
  void shouldAcceptWellFormedChatAndCompletionBodiesWhateverElseTheyCarry() {
    assertThat(payloadProblemOf(EndpointKind.CHAT,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"max_tokens\":16,\"stream\":true,\"x-vendor\":{\"a\":1}}")).isNull();
    assertThat(payloadProblemOf(EndpointKind.COMPLETION, "{\"prompt\":\"Once\",\"max_tokens\":null}"))
        .isNull();
    assertThat(payloadProblemOf(EndpointKind.COMPLETION, "{\"prompt\":[1,2,3]}")).isNull();
  }

  @Test
  void shouldNameTheFieldWhenTheOpenAiBodyIsMalformed() {
    assertThat(payloadProblemOf(EndpointKind.CHAT, "{\"messages\":[")).startsWith("payload.body is not valid JSON");
    assertThat(payloadProblemOf(EndpointKind.CHAT, "[1]")).isEqualTo("payload.body must be a JSON object");
    assertThat(payloadProblemOf(EndpointKind.CHAT, "{\"prompt\":\"x\"}"))
        .isEqualTo("'messages' is a required property");
    assertThat(payloadProblemOf(EndpointKind.CHAT, "{\"messages\":[]}"))
        .isEqualTo("'messages' must be a non-empty array");
    assertThat(payloadProblemOf(EndpointKind.COMPLETION, "{\"messages\":[{}]}"))
        .isEqualTo("'prompt' is a required property");
    assertThat(payloadProblemOf(EndpointKind.COMPLETION, "{\"prompt\":7}"))
        .isEqualTo("'prompt' must be a string or an array");
    assertThat(payloadProblemOf(EndpointKind.CHAT, "{\"messages\":[{}],\"max_tokens\":-1}"))
        .isEqualTo("'max_tokens' must be a positive integer, was -1");
    assertThat(payloadProblemOf(EndpointKind.CHAT, "{\"messages\":[{}],\"max_completion_tokens\":2.5}"))
        .isEqualTo("'max_completion_tokens' must be a positive integer, was 2.5");
    assertThat(payloadProblemOf(EndpointKind.UNKNOWN, "{}")).startsWith("payload.endpoint is UNKNOWN");
  }

  @Test
  void shouldRejectAReplyTopicKafkaCannotHaveWhenTheAnswerWouldHaveNowhereToGo() {
    assertThat(problemAfter(r -> r.setReplyTo("answers.gateway-1_a"))).isNull();
    assertThat(problemAfter(r -> r.setReplyTo("no spaces"))).startsWith("replyTo 'no spaces' is not a Kafka topic name");
    assertThat(problemAfter(r -> r.setReplyTo(".."))).startsWith("replyTo '..' is not");
    assertThat(problemAfter(r -> r.setReplyTo("t".repeat(250)))).contains("is not a Kafka topic name");
    assertThat(problemAfter(r -> r.setCorrelationId("c".repeat(1025))))
        .isEqualTo("correlationId longer than 1024 characters");
  }
}
