package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.InferenceRequest;
import org.junit.jupiter.api.Test;

/**
 * The connector's rules for a routed record are the router's for the request inside plus the
 * engine key. Where the connector's own copy was laxer (no SLO, id and session bounds), the
 * router's stricter rules now hold: whatever the router routes passes them, and a record written
 * around the router gets no more leeway than the router gives.
 */
class RoutedRequestRulesTest {

  @Test
  void shouldAcceptWhatTheRouterRoutesWhenKeyedByItsEngine() {
    assertThat(RoutedRequestRules.problem("e0", ValidRecords.routed("e0", ValidRecords.request())))
        .isNull();
  }

  @Test
  void shouldApplyTheRoutersRulesToTheRequestWhenItWasWrittenAroundTheRouter() {
    InferenceRequest withoutSlo = ValidRecords.request();
    withoutSlo.setSloTtftMs(null);
    assertThat(RoutedRequestRules.problem("e0", ValidRecords.routed("e0", withoutSlo)))
        .isEqualTo(InferenceRequestRules.problem(withoutSlo))
        .startsWith("missing SLO");
  }

  @Test
  void shouldRejectARoutedRecordWhenItsKeyNamesAnotherEngine() {
    assertThat(RoutedRequestRules.problem("e1", ValidRecords.routed("e0", ValidRecords.request())))
        .isEqualTo("record key 'e1' is not the request's engineId 'e0'");
  }
}
