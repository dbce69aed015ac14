package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.telemetry.StepObservationValidator;
import org.junit.jupiter.api.Test;

class StepTelemetryRulesTest {

  @Test
  void shouldAcceptAPlausibleStepWhenKeyedByItsEngineOrNotKeyed() {
    assertThat(StepTelemetryRules.problem("e0", ValidRecords.step("e0", 20_000))).isNull();
    assertThat(StepTelemetryRules.problem(null, ValidRecords.step("e0", 20_000))).isNull();
  }

  @Test
  void shouldRejectAStepWhenTheCoreFindsItImplausible() {
    var step = ValidRecords.step("e0", -5);
    assertThat(StepTelemetryRules.problem("e0", step))
        .isEqualTo(StepObservationValidator.problem(step))
        .contains("durationUs must be positive");
  }

  @Test
  void shouldRejectAStepWhenItsKeyNamesAnotherEngine() {
    assertThat(StepTelemetryRules.problem("h100-9", ValidRecords.step("e0", 20_000)))
        .isEqualTo("record key 'h100-9' is not the step's engineId 'e0'");
  }
}
