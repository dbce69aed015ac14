package io.synergysched.simulator.matrix;

import java.util.List;

/**
 * Our pair against the best baseline of one cell and regime: the baseline with the highest mean
 * goodput (the first listed on a tie), our mean over its mean, and the verdict.
 *
 * @param ratio our mean goodput over the best baseline's; +infinity when only it reaches goodput 0,
 *     NaN when both do
 */
public record CellComparison(PolicyPair best, SeedSpread ours, SeedSpread bestGoodput, double ratio,
    Verdict verdict) {

  /**
   * @param baselines the comparison's baselines, in order
   * @param goodputs their goodput spreads, in the same order
   */
  public static CellComparison of(SeedSpread ours, List<PolicyPair> baselines, List<SeedSpread> goodputs) {
    if (baselines.isEmpty() || baselines.size() != goodputs.size()) {
      throw new IllegalArgumentException("need one goodput spread per baseline, got " + baselines.size()
          + " baselines and " + goodputs.size() + " spreads");
    }
    int best = 0;
    for (int i = 1; i < goodputs.size(); i++) {
      if (goodputs.get(i).mean() > goodputs.get(best).mean()) {
        best = i;
      }
    }
    SeedSpread top = goodputs.get(best);
    double ratio = top.mean() > 0 ? ours.mean() / top.mean()
        : ours.mean() > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    return new CellComparison(baselines.get(best), ours, top, ratio, Verdict.of(ours, top));
  }
}
