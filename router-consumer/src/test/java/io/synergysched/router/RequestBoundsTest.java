package io.synergysched.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.InferenceRequest;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The router's bounds on inbound requests: what is dead-lettered, and why. */
class RequestBoundsTest {

  private static InferenceRequest request() {
    return PipelineFixture.request("r-1", 100, 20);
  }

  @Test
  void shouldAcceptAPlausibleRequest() {
    assertThat(RouterConsumer.problem(request())).isNull();
  }

  @Test
  void shouldRejectOversizedAndOutOfRangeFields() {
    InferenceRequest longId = request();
    longId.setRequestId("x".repeat(257));
    assertThat(RouterConsumer.problem(longId)).contains("requestId longer than 256");
    InferenceRequest negative = PipelineFixture.request("r-2", -5, 20);
    assertThat(RouterConsumer.problem(negative)).contains("promptTokens must be in");
    InferenceRequest slow = request();
    slow.setSloTtftMs(Integer.MAX_VALUE);
    assertThat(RouterConsumer.problem(slow)).contains("SLO targets beyond a day");
    InferenceRequest hashes = request();
    hashes.setPrefixBlockHashes(Collections.nCopies(101, 7L));
    assertThat(RouterConsumer.problem(hashes)).contains("more prefix block hashes");
    InferenceRequest session = request();
    session.setSessionId("s".repeat(1025));
    assertThat(RouterConsumer.problem(session)).contains("sessionId longer than 1024");
  }
}
