package io.synergysched.cli.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.schemas.InferenceRequest;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  @Test
  void shouldTellARunsIdsFromOtherRunsAndOtherKeys() {
    assertThat(LoadGenerator.isOfRun("run-step1", "run-step1-42")).isTrue();
    assertThat(LoadGenerator.isOfRun("run-step1", "run-step10-42")).isFalse();
    assertThat(LoadGenerator.isOfRun("fz", "fz-engines-a100-llama-2-7b-tp1-0")).isFalse();
    assertThat(LoadGenerator.isOfRun("fz", "fz-")).isFalse();
    assertThat(LoadGenerator.isOfRun("fz", null)).isFalse();
  }

  @Test
  void shouldMakeValidSmallRequestsWithinThePlansOutputBound() {
    for (long n = 0; n < 1_000; n++) {
      InferenceRequest r = LoadGenerator.request("x-" + n, n, 1_000L, 200);
      assertThat(r.getPromptTokens()).isBetween(16, 143);
      assertThat(r.getMaxOutputTokens()).isBetween(1, 200);
      assertThat(r.getArrivalTimeMs()).isEqualTo(1_000L);
      assertThat(r.getSloTtftMs()).isPositive();
    }
  }

  @Test
  void shouldRejectAPlanWithoutARateOrDuration() {
    assertThat(new LoadGenerator.Plan("p", 250, 2_000).total()).isEqualTo(500);
    assertThatThrownBy(() -> new LoadGenerator.Plan("p", 0, 1_000))
        .hasMessageContaining("rate");
    assertThatThrownBy(() -> new LoadGenerator.Plan("p", 10, 0))
        .hasMessageContaining("duration");
  }
}
