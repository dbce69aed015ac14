package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LensHintTest {

  static LensHint hint(long issuedAtMs, long validUntilMs, List<LensHint.BudgetPoint> curve) {
    return new LensHint("e0", 1, 7, issuedAtMs, validUntilMs, 100, 10, curve, 128, 512, 0.9, LensHint.SLACK);
  }

  @Test
  void shouldInterpolateBudgetWhenBetweenPoints() {
    LensHint h = hint(0, 1000, List.of(new LensHint.BudgetPoint(0, 0, 3000),
        new LensHint.BudgetPoint(10, 0, 2000), new LensHint.BudgetPoint(20, 0, 1001)));
    assertThat(h.tokenBudgetAt(0)).isEqualTo(3000);
    assertThat(h.tokenBudgetAt(5)).isEqualTo(2500);
    assertThat(h.tokenBudgetAt(15)).isEqualTo(1500);
    assertThat(h.tokenBudgetAt(500)).isEqualTo(1001);
  }

  @Test
  void shouldExpireWhenPastValidUntil() {
    LensHint h = hint(0, 1000, List.of(new LensHint.BudgetPoint(0, 0, 3000)));
    assertThat(h.isValidAt(1000)).isTrue();
    assertThat(h.isValidAt(1000.5)).isFalse();
  }

  @Test
  void shouldRejectUnsortedCurveWhenBuilt() {
    assertThatThrownBy(() -> hint(0, 1000, List.of(new LensHint.BudgetPoint(4, 0, 3000),
        new LensHint.BudgetPoint(4, 0, 2000)))).hasMessageContaining("budgetCurve");
  }

  @Test
  void shouldDeliverHintOnlyAfterTheDelayWhenFedThroughTheDelayedFeed() {
    DelayedLensHintFeed feed = new DelayedLensHintFeed(100);
    LensHint first = hint(0, 10_000, List.of(new LensHint.BudgetPoint(0, 0, 3000)));
    LensHint second = hint(50, 10_000, List.of(new LensHint.BudgetPoint(0, 0, 2000)));
    feed.publish(first, 0);
    feed.publish(second, 50);
    assertThat(feed.current(99)).isNull();
    assertThat(feed.current(100)).isSameAs(first);
    assertThat(feed.current(149)).isSameAs(first);
    assertThat(feed.current(150)).isSameAs(second);
  }
}
