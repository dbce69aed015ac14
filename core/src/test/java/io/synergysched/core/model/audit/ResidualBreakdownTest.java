package io.synergysched.core.model.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.core.telemetry.StepObservation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidualBreakdownTest {

  private static StepObservation step(int prefill, long cached, int decodes, long durationUs) {
    return new StepObservation("e0", 0, 0, durationUs, prefill, prefill > 0 ? 1 : 0,
        (long) prefill * prefill, cached, (long) prefill * cached, decodes, 300L * decodes, 10,
        1_000, 0, decodes + (prefill > 0 ? 1 : 0), 0, 8_192);
  }

  @Test
  void shouldPutAStepInOneGroupPerDimensionWhenItIsClassified() {
    assertThat(ResidualBreakdown.groupsOf(step(0, 0, 40, 1)))
        .containsExactly("decode-only", "0", "no prefill", "33-128");
    assertThat(ResidualBreakdown.groupsOf(step(3_000, 5_000, 0, 1)))
        .containsExactly("prefill-only", ">2048", "2049-8192", "0");
    assertThat(ResidualBreakdown.groupsOf(step(256, 0, 8, 1)))
        .containsExactly("mixed", "1-256", "0", "1-8");
  }

  @Test
  void shouldShowTheErrorOfTheRareLongStepsWhenThePooledFigureHidesIt() {
    ResidualBreakdown breakdown = new ResidualBreakdown();
    // 95 decode steps predicted exactly, 5 prefills predicted 20% short
    for (int i = 0; i < 95; i++) {
      breakdown.add("e0", "m", step(0, 0, 16, 10_000 + i), 10_000 + i);
    }
    for (int i = 0; i < 5; i++) {
      breakdown.add("e0", "m", step(2_000, 0, 0, 200_000 + 1_000 * i), 0.8 * (200_000 + 1_000 * i));
    }

    List<ResidualBreakdown.Row> rows = breakdown.rows();
    ResidualBreakdown.Row decodes = rows.stream()
        .filter(r -> r.dimension().equals("class") && r.group().equals("decode-only")).findFirst().orElseThrow();
    ResidualBreakdown.Row prefills = rows.stream()
        .filter(r -> r.dimension().equals("class") && r.group().equals("prefill-only")).findFirst().orElseThrow();
    assertThat(decodes.steps()).isEqualTo(95);
    assertThat(decodes.mape()).isZero();
    assertThat(prefills.steps()).isEqualTo(5);
    assertThat(prefills.mape()).isCloseTo(0.2, within(1e-9));
    assertThat(prefills.meanSignedErrorMs()).isCloseTo(-0.2 * 202.0, within(1e-6));
    ResidualBreakdown.Largest largest = breakdown.largestSteps().get(0);
    assertThat(largest.steps()).isEqualTo(5);
    assertThat(largest.thresholdMs()).isEqualTo(200.0);
    assertThat(largest.medianAbsRelError()).isCloseTo(0.2, within(1e-9));
  }
}
