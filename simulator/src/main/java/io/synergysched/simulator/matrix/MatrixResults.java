package io.synergysched.simulator.matrix;

import io.synergysched.simulator.cluster.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a matrix run measured: for every cell, regime, pair and seed, the goodput and the run at
 * the knee (the reference pair's goodput in the same cell, regime and seed). Filled by the runner,
 * one slot per task, then read by the report.
 */
public final class MatrixResults {

  /**
   * @param goodput goodput rate scale, &gt;= 0
   * @param kneeScale the reference pair's goodput in the same cell, regime and seed
   * @param atKnee this pair's run at {@code kneeScale}; null when the knee is 0
   */
  public record SeedOutcome(double goodput, double kneeScale, RunResult atKnee) {}

  private final MatrixPlan plan;
  private final SeedOutcome[][][][] outcomes;

  MatrixResults(MatrixPlan plan) {
    this.plan = plan;
    int seeds = 0;
    for (MatrixCell cell : plan.cells()) {
      seeds = Math.max(seeds, plan.seeds(cell).size());
    }
    this.outcomes = new SeedOutcome[plan.cells().size()][plan.regimes().size()][plan.pairs().size()][seeds];
  }

  public MatrixPlan plan() {
    return plan;
  }

  void put(int cell, int regime, int pair, int seed, SeedOutcome outcome) {
    outcomes[cell][regime][pair][seed] = outcome;
  }

  /** The outcomes of one pair over the seeds of the cell, in the order of the seeds. */
  public List<SeedOutcome> outcomes(int cell, int regime, PolicyPair pair) {
    int p = plan.pairs().indexOf(pair);
    if (p < 0) {
      throw new IllegalArgumentException("pair " + pair + " is not in the plan");
    }
    List<SeedOutcome> list = new ArrayList<>();
    for (int s = 0; s < plan.seeds(plan.cells().get(cell)).size(); s++) {
      list.add(outcomes[cell][regime][p][s]);
    }
    return list;
  }

  public SeedSpread goodput(int cell, int regime, PolicyPair pair) {
    return SeedSpread.of(outcomes(cell, regime, pair).stream().mapToDouble(SeedOutcome::goodput).toArray());
  }

  /** A quantity of the run at the knee, over the seeds whose knee is above 0. */
  public SeedSpread atKnee(int cell, int regime, PolicyPair pair,
      java.util.function.ToDoubleFunction<RunResult> quantity) {
    return SeedSpread.of(outcomes(cell, regime, pair).stream()
        .mapToDouble(o -> o.atKnee() == null ? Double.NaN : quantity.applyAsDouble(o.atKnee())).toArray());
  }

  public SeedSpread kneeScale(int cell, int regime) {
    return SeedSpread.of(outcomes(cell, regime, plan.reference()).stream()
        .mapToDouble(SeedOutcome::kneeScale).toArray());
  }

  public CellComparison compare(int cell, int regime, MatrixPlan.Comparison comparison) {
    List<SeedSpread> baselines = new ArrayList<>();
    for (PolicyPair b : comparison.baselines()) {
      baselines.add(goodput(cell, regime, b));
    }
    return CellComparison.of(goodput(cell, regime, comparison.ours()), comparison.baselines(), baselines);
  }
}
