package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LensHintPublishPolicyTest {

  private static final LensHintPublishPolicy POLICY = LensHintPublishPolicy.defaults(10_000);

  private static LensPlan hint(long issuedAtMs, int budgetAt0, int budgetAt64, int maxSeqs, double watermark) {
    return new LensPlan("e0", 1, 7, issuedAtMs, issuedAtMs + 10_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 900, budgetAt0), new LensPlan.BudgetPoint(64, 900, budgetAt64)),
        maxSeqs, 256, watermark, LensPlan.SLACK);
  }

  @Test
  void shouldPublishTheFirstHintWhenNoneWasPublished() {
    assertThat(POLICY.reason(null, hint(0, 4000, 2000, 128, 0.9), false, 0)).isEqualTo(LensHintPublishPolicy.FIRST);
  }

  @Test
  void shouldNotPublishWhenTheHintMovedWithinTheThresholds() {
    LensPlan published = hint(0, 4000, 2000, 128, 0.90);
    // 5% budget, 1 sequence in 128, 0.01 watermark, 1 s old: all immaterial
    assertThat(POLICY.reason(published, hint(1_000, 4200, 1900, 129, 0.91), false, 1_000)).isNull();
  }

  @Test
  void shouldPublishWhenTheBudgetAtSomeDecodeLoadMovedBeyondTheThreshold() {
    LensPlan published = hint(0, 4000, 2000, 128, 0.9);
    assertThat(POLICY.reason(published, hint(1_000, 4000, 1700, 128, 0.9), false, 1_000))
        .isEqualTo(LensHintPublishPolicy.BUDGET);
  }

  @Test
  void shouldPublishWhenSequencesWatermarkOrModelChanged() {
    LensPlan published = hint(0, 4000, 2000, 128, 0.9);
    assertThat(POLICY.reason(published, hint(1_000, 4000, 2000, 100, 0.9), false, 1_000))
        .isEqualTo(LensHintPublishPolicy.MAX_SEQS);
    assertThat(POLICY.reason(published, hint(1_000, 4000, 2000, 128, 0.85), false, 1_000))
        .isEqualTo(LensHintPublishPolicy.WATERMARK);
    assertThat(POLICY.reason(published, hint(1_000, 4000, 2000, 128, 0.9), true, 1_000))
        .isEqualTo(LensHintPublishPolicy.MODEL);
  }

  @Test
  void shouldRefreshAnUnchangedHintBeforeItExpires() {
    LensPlan published = hint(0, 4000, 2000, 128, 0.9);
    assertThat(POLICY.reason(published, hint(4_999, 4000, 2000, 128, 0.9), false, 4_999)).isNull();
    assertThat(POLICY.reason(published, hint(5_000, 4000, 2000, 128, 0.9), false, 5_000))
        .isEqualTo(LensHintPublishPolicy.REFRESH);
    assertThat(5_000L).isLessThan(published.validUntilMs());
  }

  @Test
  void shouldNameTheKeyWhenAThresholdIsOutOfRange() {
    assertThatThrownBy(() -> new LensHintPublishPolicy(1.5, 0.1, 0.02, 5_000))
        .hasMessageContaining("synergy.lens.material.budget-fraction");
    assertThatThrownBy(() -> new LensHintPublishPolicy(0.1, 0.1, 0.02, 0))
        .hasMessageContaining("synergy.lens.refresh-after-ms");
  }

  @Test
  void shouldReadPlannerKeysAndNameTheBadOne() {
    LensPlannerConfig config = LensPlannerConfig.fromProperties(Map.of("synergy.lens.hint-ttl-ms", "4000",
        "synergy.lens.tpot-margin-fraction", "0.1"));
    assertThat(config.hintTtlMs()).isEqualTo(4000);
    assertThat(config.tpotMarginFraction()).isEqualTo(0.1);
    assertThat(config.maxNumSeqs()).isEqualTo(LensPlannerConfig.defaults().maxNumSeqs());
    assertThatThrownBy(() -> LensPlannerConfig.fromProperties(Map.of("synergy.lens.hint-ttl-ms", "soon")))
        .hasMessageContaining("synergy.lens.hint-ttl-ms");
    assertThatThrownBy(() -> LensPlannerConfig.fromProperties(Map.of("synergy.lens.max-num-seqs", "0")))
        .hasMessageContaining("synergy.lens.max-num-seqs");
  }

  @Test
  void shouldKeepTheNewestHintWhenOfferedOutOfOrder() {
    LatestLensHint latest = new LatestLensHint();
    LensPlan v2 = new LensPlan("e0", 2, 7, 2_000, 12_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 0, 4000)), 128, 256, 0.9, LensPlan.SLACK);
    LensPlan v1 = new LensPlan("e0", 1, 7, 1_000, 11_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 0, 4000)), 128, 256, 0.9, LensPlan.SLACK);
    LensPlan restarted = new LensPlan("e0", 1, 9, 3_000, 13_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 0, 4000)), 128, 256, 0.9, LensPlan.SLACK);
    assertThat(latest.current(0)).isNull();
    assertThat(latest.offer(v2)).isTrue();
    assertThat(latest.offer(v1)).isFalse();
    assertThat(latest.current(0)).isSameAs(v2);
    assertThat(latest.offer(restarted)).isTrue();
    latest.clear();
    assertThat(latest.current(0)).isNull();
  }
}
