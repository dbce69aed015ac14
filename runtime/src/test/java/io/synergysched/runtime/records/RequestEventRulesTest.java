package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.RequestEventType;
import org.junit.jupiter.api.Test;

/** The one set of rules the model-trainer dead-letters request events by and the router skips them by. */
class RequestEventRulesTest {

  @Test
  void shouldAcceptEveryKnownTypeWhenTheEventIsPlausible() {
    for (RequestEventType type : RequestEventType.values()) {
      if (type != RequestEventType.UNKNOWN) {
        assertThat(RequestEventRules.problem("e0", ValidRecords.event(type).build()))
            .as("a plausible %s event", type).isNull();
      }
    }
  }

  @Test
  void shouldRejectAnEventWhenItsTypeIsUnknownToThisVersion() {
    // the router used to read it as QUEUED while the trainer dead-lettered it
    assertThat(RequestEventRules.problem("e0", ValidRecords.event(RequestEventType.UNKNOWN).build()))
        .isEqualTo("event type unknown to this version");
  }

  @Test
  void shouldRejectAnEventWhenItsKeyNamesAnotherEngine() {
    assertThat(RequestEventRules.problem("e1", ValidRecords.event(RequestEventType.QUEUED).build()))
        .isEqualTo("record key 'e1' is not the event's engineId 'e0'");
    assertThat(RequestEventRules.problem(null, ValidRecords.event(RequestEventType.QUEUED).build()))
        .as("no key, nothing to disagree with").isNull();
  }

  @Test
  void shouldRejectImpossibleTimesCountsAndTargetsWhenTheEventHasThem() {
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.QUEUED).setEngineId("").build()))
        .isEqualTo("engineId is empty");
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.QUEUED).setArrivalTimeMs(-1).build()))
        .startsWith("negative time");
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.QUEUED).setOutputTokens(-1).build()))
        .isEqualTo("negative token count");
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.QUEUED).setCachedPromptTokens(101).build()))
        .isEqualTo("cachedPromptTokens 101 exceeds promptTokens 100");
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.FINISHED).setTtftUs(null).build()))
        .isEqualTo("FINISHED without a non-negative ttftUs");
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.FINISHED).setTpotUs(-1L).build()))
        .isEqualTo("negative tpotUs -1");
    assertThat(RequestEventRules.problem("e0",
        ValidRecords.event(RequestEventType.QUEUED).setSloTpotMs(0).build()))
        .isEqualTo("SLO targets must be positive");
  }
}
