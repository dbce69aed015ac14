package io.synergysched.runtime.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import org.junit.jupiter.api.Test;

class TelemetryMappingTest {

  private static RequestEvent event(RequestEventType type) {
    return RequestEvent.newBuilder()
        .setEngineId("e0").setRequestId("r-1").setType(type).setEventTimeMs(1_000)
        .setArrivalTimeMs(900).setPromptTokens(100).setCachedPromptTokens(64).setOutputTokens(3)
        .build();
  }

  @Test
  void shouldMapARequestEventToItsCorePhaseWhenTheTypeIsKnown() {
    assertThat(TelemetryMapping.toObservation(event(RequestEventType.FIRST_TOKEN), 42))
        .isEqualTo(new RequestObservation("e0", 42, RequestPhase.FIRST_TOKEN, 1_000, 100, 3, 64));
  }

  @Test
  void shouldRefuseARequestEventWhenItsTypeIsUnknown() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TelemetryMapping.toObservation(event(RequestEventType.UNKNOWN), 42));
  }
}
