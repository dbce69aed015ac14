package io.synergysched.simulator.matrix;

import io.synergysched.core.regime.Regime;
import io.synergysched.simulator.cluster.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a matrix run's reports: {@code matrix.csv} (one row per cell, regime and pair),
 * {@code matrix-seeds.csv} (one row per seed as well) and {@code matrix.md} (per regime and
 * comparison: our ratio to the best baseline in every cell, and per set the median, the worst and
 * the wins, ties and losses). The files depend only on the results, so the same seeds give the
 * same bytes.
 */
public final class MatrixReport {

  public static final String MATRIX_HEADER = "set,cell,trace,cluster,slo,arrival,regime,router,scheduler,"
      + "seeds,goodput_mean,goodput_min,goodput_max,knee_rate_scale,attainment_at_knee_mean,"
      + "attainment_at_knee_min,attainment_at_knee_max,requests_at_knee,shed_at_knee,sched_shed_at_knee";
  public static final String SEEDS_HEADER = "set,cell,regime,router,scheduler,seed,goodput,knee_rate_scale,"
      + "attainment_at_knee,shed_at_knee,sched_shed_at_knee";

  private final MatrixResults results;
  private final MatrixPlan plan;

  public MatrixReport(MatrixResults results) {
    this.results = results;
    this.plan = results.plan();
  }

  /** Writes the three files into {@code outDir}, creating it. */
  public void write(Path outDir) {
    try {
      Files.createDirectories(outDir);
      Files.writeString(outDir.resolve("matrix.csv"), matrixCsv(), StandardCharsets.UTF_8);
      Files.writeString(outDir.resolve("matrix-seeds.csv"), seedsCsv(), StandardCharsets.UTF_8);
      Files.writeString(outDir.resolve("matrix.md"), markdown(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the matrix reports to " + outDir, e);
    }
  }

  String matrixCsv() {
    StringBuilder csv = new StringBuilder(MATRIX_HEADER).append('\n');
    for (int c = 0; c < plan.cells().size(); c++) {
      MatrixCell cell = plan.cells().get(c);
      for (int r = 0; r < plan.regimes().size(); r++) {
        SeedSpread knee = results.kneeScale(c, r);
        for (PolicyPair pair : plan.pairs()) {
          SeedSpread goodput = results.goodput(c, r, pair);
          SeedSpread attainment = results.atKnee(c, r, pair, RunResult::sloAttainment);
          csv.append(String.join(",", cell.set(), cell.id(), cell.trace(), cell.cluster(), cell.slo(),
              cell.arrival(), plan.regimes().get(r).key(), pair.router(), pair.scheduler(),
              Integer.toString(goodput.seeds()), fixed(goodput.mean()), fixed(goodput.min()), fixed(goodput.max()),
              fixed(knee.mean()), fixed(attainment.mean()), fixed(attainment.min()), fixed(attainment.max()),
              fixed(results.atKnee(c, r, pair, RunResult::requests).mean()),
              fixed(results.atKnee(c, r, pair, RunResult::shed).mean()),
              fixed(results.atKnee(c, r, pair, x -> x.triage().shed()).mean()))).append('\n');
        }
      }
    }
    return csv.toString();
  }

  String seedsCsv() {
    StringBuilder csv = new StringBuilder(SEEDS_HEADER).append('\n');
    for (int c = 0; c < plan.cells().size(); c++) {
      MatrixCell cell = plan.cells().get(c);
      List<Long> seeds = plan.seeds(cell);
      for (int r = 0; r < plan.regimes().size(); r++) {
        for (PolicyPair pair : plan.pairs()) {
          List<MatrixResults.SeedOutcome> outcomes = results.outcomes(c, r, pair);
          for (int s = 0; s < outcomes.size(); s++) {
            MatrixResults.SeedOutcome o = outcomes.get(s);
            RunResult k = o.atKnee();
            csv.append(String.join(",", cell.set(), cell.id(), plan.regimes().get(r).key(), pair.router(),
                pair.scheduler(), Long.toString(seeds.get(s)), fixed(o.goodput()), fixed(o.kneeScale()),
                k == null ? "NaN" : fixed(k.sloAttainment()), k == null ? "NaN" : Integer.toString(k.shed()),
                k == null ? "NaN" : Long.toString(k.triage().shed()))).append('\n');
          }
        }
      }
    }
    return csv.toString();
  }

  String markdown() {
    MatrixDefinition d = plan.definition();
    StringBuilder md = new StringBuilder();
    md.append("# Workload matrix: ").append(plan.name()).append("\n\n");
    md.append(String.format(Locale.ROOT,
        "%d cells x %d regimes x %d policy pairs; step-time noise sigma %s on every engine; goodput is the "
            + "highest rate scale with SLO attainment >= %s%%, given as the mean over the seeds with [min, max]. "
            + "A ratio (our mean over the best baseline's mean) is a **win** when our min exceeds the best "
            + "baseline's max, a **loss** when our max is below its min, and a tie otherwise.%n%n",
        plan.cells().size(), plan.regimes().size(), plan.pairs().size(), number(d.noiseSigma()),
        number(plan.goodputTarget() * 100)));
    md.append("| set | seeds | trace window | cells |\n|---|---|---|---:|\n");
    for (String set : sets()) {
      MatrixDefinition.SetSpec spec = d.sets().get(set);
      double start = spec.startS() == null ? 0 : spec.startS();
      md.append("| ").append(set).append(" | ").append(spec.seeds()).append(" | ")
          .append(number(start)).append(" s to ").append(number(start + spec.windowS())).append(" s | ")
          .append(plan.cells().stream().filter(c -> c.set().equals(set)).count()).append(" |\n");
    }
    md.append('\n');
    for (int r = 0; r < plan.regimes().size(); r++) {
      Regime regime = plan.regimes().get(r);
      md.append("## Regime ").append(regime.key()).append("\n\n");
      md.append("| comparison | set | cells | median ratio | worst ratio (cell) | wins / ties / losses |\n"
          + "|---|---|---:|---:|---|---|\n");
      for (MatrixPlan.Comparison comparison : plan.comparisons()) {
        List<String> groups = new ArrayList<>(sets());
        groups.add("all");
        for (String set : groups) {
          md.append(summaryRow(r, comparison, set));
        }
      }
      md.append('\n');
      for (MatrixPlan.Comparison comparison : plan.comparisons()) {
        md.append("### ").append(comparison.name()).append(": ").append(comparison.ours())
            .append(" against the best of ").append(comparison.baselines().size()).append(" baseline")
            .append(comparison.baselines().size() == 1 ? "" : "s").append("\n\n");
        md.append("| set | cell | ours | best baseline | its goodput | ratio | verdict |\n"
            + "|---|---|---|---|---|---:|---|\n");
        for (int c = 0; c < plan.cells().size(); c++) {
          MatrixCell cell = plan.cells().get(c);
          CellComparison cmp = results.compare(c, r, comparison);
          md.append("| ").append(cell.set()).append(" | ").append(cell.id()).append(" | ")
              .append(spread(cmp.ours())).append(" | ").append(cmp.best()).append(" | ")
              .append(spread(cmp.bestGoodput())).append(" | ").append(ratio(cmp.ratio())).append(" | ")
              .append(cmp.verdict().name().toLowerCase(Locale.ROOT)).append(" |\n");
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  private String summaryRow(int regime, MatrixPlan.Comparison comparison, String set) {
    List<Double> ratios = new ArrayList<>();
    double worst = Double.POSITIVE_INFINITY;
    String worstCell = "";
    int[] verdicts = new int[Verdict.values().length];
    int cells = 0;
    for (int c = 0; c < plan.cells().size(); c++) {
      MatrixCell cell = plan.cells().get(c);
      if (!set.equals("all") && !cell.set().equals(set)) {
        continue;
      }
      cells++;
      CellComparison cmp = results.compare(c, regime, comparison);
      verdicts[cmp.verdict().ordinal()]++;
      if (!Double.isNaN(cmp.ratio())) {
        ratios.add(cmp.ratio());
        if (cmp.ratio() < worst || worstCell.isEmpty()) {
          worst = cmp.ratio();
          worstCell = cell.id();
        }
      }
    }
    return "| " + comparison.name() + " | " + set + " | " + cells + " | " + ratio(median(ratios)) + " | "
        + (worstCell.isEmpty() ? "n/a" : ratio(worst) + " (" + worstCell + ")") + " | "
        + verdicts[Verdict.WIN.ordinal()] + " / " + verdicts[Verdict.TIE.ordinal()] + " / "
        + verdicts[Verdict.LOSS.ordinal()] + " |\n";
  }

  /** Median of the values (the mean of the middle two for an even count); NaN when empty. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private List<String> sets() {
    Set<String> sets = new LinkedHashSet<>();
    plan.cells().forEach(c -> sets.add(c.set()));
    return new ArrayList<>(sets);
  }

  private static String spread(SeedSpread s) {
    return s.seeds() == 0 ? "n/a"
        : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", s.mean(), s.min(), s.max());
  }

  private static String ratio(double x) {
    if (Double.isNaN(x)) {
      return "n/a";
    }
    return Double.isInfinite(x) ? "inf" : String.format(Locale.ROOT, "%.3fx", x);
  }

  private static String fixed(double x) {
    return Double.isNaN(x) ? "NaN" : String.format(Locale.ROOT, "%.4f", x);
  }

  private static String number(double x) {
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }
}
