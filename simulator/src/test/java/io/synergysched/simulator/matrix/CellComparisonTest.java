package io.synergysched.simulator.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellComparisonTest {

  private static final PolicyPair A = PolicyPair.parse("round-robin+vllm-default");
  private static final PolicyPair B = PolicyPair.parse("llm-d-default+vllm-default");

  @Test
  void shouldTakeMeanMinAndMaxOverTheSeedsWhenSomeAreNaN() {
    SeedSpread s = SeedSpread.of(3.0, Double.NaN, 4.5, 3.6);

    assertThat(s.mean()).isCloseTo(3.7, within(1e-12));
    assertThat(s.min()).isEqualTo(3.0);
    assertThat(s.max()).isEqualTo(4.5);
    assertThat(s.seeds()).isEqualTo(3);
    assertThat(SeedSpread.of(Double.NaN).seeds()).isZero();
  }

  @Test
  void shouldCountAWinOnlyWhenOurWorstSeedBeatsTheBestBaselinesBestSeed() {
    SeedSpread best = SeedSpread.of(3.0, 3.2, 3.4);

    assertThat(Verdict.of(SeedSpread.of(3.5, 3.6, 3.7), best)).isEqualTo(Verdict.WIN);
    assertThat(Verdict.of(SeedSpread.of(3.4, 3.8, 4.0), best)).as("touching spreads").isEqualTo(Verdict.TIE);
    assertThat(Verdict.of(SeedSpread.of(2.0, 3.1, 4.0), best)).isEqualTo(Verdict.TIE);
    assertThat(Verdict.of(SeedSpread.of(2.5, 2.7, 2.9), best)).isEqualTo(Verdict.LOSS);
  }

  @Test
  void shouldCompareWithTheBaselineOfHighestMeanWhenSeveralAreListed() {
    SeedSpread ours = SeedSpread.of(4.0, 4.2, 4.4);
    SeedSpread weak = SeedSpread.of(2.0, 2.0, 2.0);
    SeedSpread strong = SeedSpread.of(3.9, 4.0, 4.5);

    CellComparison c = CellComparison.of(ours, List.of(A, B), List.of(weak, strong));

    assertThat(c.best()).isEqualTo(B);
    assertThat(c.ratio()).isCloseTo(4.2 / (12.4 / 3), within(1e-12));
    assertThat(c.verdict()).as("ratio above 1, but inside the spread").isEqualTo(Verdict.TIE);
  }

  @Test
  void shouldKeepTheFirstBaselineWhenMeansTie() {
    SeedSpread same = SeedSpread.of(1.0, 2.0, 3.0);

    assertThat(CellComparison.of(same, List.of(A, B), List.of(same, same)).best()).isEqualTo(A);
  }

  @Test
  void shouldGiveInfiniteRatioWhenOnlyTheBaselineNeverReachesTheTarget() {
    SeedSpread zero = SeedSpread.of(0.0, 0.0, 0.0);

    CellComparison onlyUs = CellComparison.of(SeedSpread.of(0.5, 0.6, 0.7), List.of(A), List.of(zero));
    CellComparison neither = CellComparison.of(zero, List.of(A), List.of(zero));

    assertThat(onlyUs.ratio()).isInfinite();
    assertThat(onlyUs.verdict()).isEqualTo(Verdict.WIN);
    assertThat(neither.ratio()).isNaN();
    assertThat(neither.verdict()).isEqualTo(Verdict.TIE);
  }

  @Test
  void shouldTakeTheMiddleOfTheSortedRatiosWhenSummarizing() {
    assertThat(MatrixReport.median(List.of(1.3, 0.9, 1.1))).isEqualTo(1.1);
    assertThat(MatrixReport.median(List.of(1.3, 0.9, 1.1, 1.0))).isCloseTo(1.05, within(1e-12));
    assertThat(MatrixReport.median(List.of(Double.POSITIVE_INFINITY, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(MatrixReport.median(List.of())).isNaN();
  }
}
