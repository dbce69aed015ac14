package io.synergysched.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepObservationValidatorTest {

  /** A mixed step: one 512-token prefill chunk and 32 decodes of ~1,000 tokens of context. */
  private static StepObservation step(int prefill, int decodes, long decodeContext, int waiting) {
    return new StepObservation("e-1", 7, 1_000, 25_000, prefill, prefill > 0 ? 1 : 0,
        (long) prefill * prefill, 0, 0, decodes, decodeContext, 100, 1_000, waiting, decodes, 0,
        8_192);
  }

  @Test
  void shouldAcceptAPlausibleStep() {
    assertThat(StepObservationValidator.problem(step(512, 32, 32_000, 3))).isNull();
  }

  @Test
  void shouldRejectMoreTokensInOneStepThanAnyEngineBatches() {
    assertThat(StepObservationValidator.problem(step(3_000_000, 0, 0, 0)))
        .contains("prefill tokens or decoding sequences in one step");
    assertThat(StepObservationValidator.problem(step(0, 2_500_000, 2_500_000L * 100, 0)))
        .contains("in one step");
  }

  @Test
  void shouldRejectContextsLongerThanAnyModelHolds() {
    assertThat(StepObservationValidator.problem(step(0, 2, 2L * (1L << 23) + 1, 0)))
        .contains("contexts longer than");
  }

  @Test
  void shouldRejectAbsurdQueues() {
    assertThat(StepObservationValidator.problem(step(512, 1, 100, 50_000_000)))
        .contains("queue counts beyond");
  }
}
