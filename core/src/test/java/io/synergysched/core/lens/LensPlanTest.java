package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LensPlanTest {

  static LensPlan hint(long issuedAtMs, long validUntilMs, List<LensPlan.BudgetPoint> curve) {
    return new LensPlan("e0", 1, 7, issuedAtMs, validUntilMs, 100, 10, curve, 128, 512, 0.9, LensPlan.SLACK);
  }

  @Test
  void shouldInterpolateBudgetWhenBetweenPoints() {
    LensPlan h = hint(0, 1000, List.of(new LensPlan.BudgetPoint(0, 0, 3000),
        new LensPlan.BudgetPoint(10, 0, 2000), new LensPlan.BudgetPoint(20, 0, 1001)));
    assertThat(h.tokenBudgetAt(0)).isEqualTo(3000);
    assertThat(h.tokenBudgetAt(5)).isEqualTo(2500);
    assertThat(h.tokenBudgetAt(15)).isEqualTo(1500);
    assertThat(h.tokenBudgetAt(500)).isEqualTo(1001);
  }

  @Test
  void shouldExpireWhenPastValidUntil() {
    LensPlan h = hint(0, 1000, List.of(new LensPlan.BudgetPoint(0, 0, 3000)));
    assertThat(h.isValidAt(1000)).isTrue();
    assertThat(h.isValidAt(1000.5)).isFalse();
  }

  @Test
  void shouldRejectUnsortedCurveWhenBuilt() {
    assertThatThrownBy(() -> hint(0, 1000, List.of(new LensPlan.BudgetPoint(4, 0, 3000),
        new LensPlan.BudgetPoint(4, 0, 2000)))).hasMessageContaining("budgetCurve");
  }

  @Test
  void shouldDeliverHintOnlyAfterTheDelayWhenFedThroughTheDelayedFeed() {
    DelayedLensHintFeed feed = new DelayedLensHintFeed(100);
    LensPlan first = hint(0, 10_000, List.of(new LensPlan.BudgetPoint(0, 0, 3000)));
    LensPlan second = hint(50, 10_000, List.of(new LensPlan.BudgetPoint(0, 0, 2000)));
    feed.publish(first, 0);
    feed.publish(second, 50);
    assertThat(feed.current(99)).isNull();
    assertThat(feed.current(100)).isSameAs(first);
    assertThat(feed.current(149)).isSameAs(first);
    assertThat(feed.current(150)).isSameAs(second);
  }
}
