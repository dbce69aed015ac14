package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.InferenceRequest;
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
}
