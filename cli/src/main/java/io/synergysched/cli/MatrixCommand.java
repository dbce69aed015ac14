package io.synergysched.cli;

import io.synergysched.simulator.matrix.MatrixDefinition;
import io.synergysched.simulator.matrix.MatrixLoader;
import io.synergysched.simulator.matrix.MatrixPlan;
import io.synergysched.simulator.matrix.MatrixReport;
import io.synergysched.simulator.matrix.MatrixResults;
import io.synergysched.simulator.matrix.MatrixRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the workload matrix and writes matrix.csv, matrix-seeds.csv and matrix.md. */
@Command(
    name = "matrix",
    mixinStandardHelpOptions = true,
    description = {
      "Run the workload matrix (traces x clusters x SLOs x arrivals, under every regime, several",
      "seeds per cell) and compare our pairs with the best baseline in every cell."
    })
final class MatrixCommand implements Callable<Integer> {

  @Option(names = "--matrix", description = "matrix YAML (default: ${DEFAULT-VALUE})")
  Path matrixFile = Path.of("scenarios/matrix/matrix.yaml");

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Option(names = "--quick", description = "run only the matrix's quick subset (a few minutes)")
  boolean quick;

  @Option(names = "--regimes", split = ",",
      description = "regimes to run instead of the matrix's (as-shipped,equal-admission,placement-only)")
  List<String> regimes;

  @Option(names = "--threads", description = "worker threads (default: the available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() {
    MatrixDefinition definition = MatrixLoader.load(matrixFile);
    MatrixPlan plan = MatrixPlan.of(definition, matrixFile, quick, regimes);
    long start = System.nanoTime();
    MatrixResults results;
    try (TerminalProgressBar bar = new TerminalProgressBar("matrix " + plan.name())) {
      int[] lastLoggedPercent = {-1};
      MatrixRunner.Progress progress = (done, planned, last) -> {
        bar.update(last, (double) done / planned);
        int percent = done * 100 / planned;
        if (System.console() == null && percent / 5 > lastLoggedPercent[0] / 5) {
          lastLoggedPercent[0] = percent;
          System.err.printf(Locale.ROOT, "matrix: %d/%d goodput searches (%d%%) after %.0f s%n",
              done, planned, percent, (System.nanoTime() - start) / 1e9);
        }
      };
      results = new MatrixRunner(plan, threads, progress, InboundRequestRecording::read).run();
    }
    new MatrixReport(results).write(out);
    System.out.printf(Locale.ROOT, "wrote %s, matrix-seeds.csv, matrix.md (%d cells x %d regimes x %d pairs)%n",
        out.resolve("matrix.csv"), plan.cells().size(), plan.regimes().size(), plan.pairs().size());
    System.out.printf(Locale.ROOT, "wall time %.1f s on %d threads%n", (System.nanoTime() - start) / 1e9, threads);
    return 0;
  }
}
