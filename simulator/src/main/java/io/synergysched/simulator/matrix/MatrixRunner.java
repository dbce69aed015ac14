package io.synergysched.simulator.matrix;

import io.synergysched.core.regime.Regime;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.simulator.cluster.ClusterSimulation;
import io.synergysched.simulator.cluster.RunResult;
import io.synergysched.simulator.cluster.SimulatorRouters;
import io.synergysched.simulator.scenario.GoodputSearch;
import io.synergysched.simulator.scenario.PreparedScenario;
import io.synergysched.simulator.trace.RecordingReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link MatrixPlan}: for every cell, regime and seed, a goodput search per pair (the
 * reference first, whose goodput is the knee), then every other pair's run at that knee. Each cell,
 * regime and seed is one task, independent of the others (its own trace, engines and routers), so
 * tasks run on a small thread pool and the results do not depend on their timing: the same plan
 * gives the same results, whatever the number of threads.
 */
public final class MatrixRunner {

  /** Told of each finished goodput search; called from the worker threads, one at a time. */
  public interface Progress {
    void update(int searchesDone, int searchesPlanned, String last);
  }

  private final MatrixPlan plan;
  private final int threads;
  private final Progress progress;
  private final RecordingReader recordings;

  /**
   * @param threads worker threads, &gt;= 1
   * @param progress may be null
   * @param recordings reader of trace format {@code recording}, or null
   */
  public MatrixRunner(MatrixPlan plan, int threads, Progress progress, RecordingReader recordings) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.plan = plan;
    this.threads = threads;
    this.progress = progress;
    this.recordings = recordings;
  }

  /** Number of goodput searches the plan makes (cells x regimes x seeds x pairs). */
  public int plannedSearches() {
    int n = 0;
    for (MatrixCell cell : plan.cells()) {
      n += plan.seeds(cell).size() * plan.regimes().size() * plan.pairs().size();
    }
    return n;
  }

  public MatrixResults run() {
    // a pair some regime cannot build fails now, not after hours of the tasks before it
    for (Regime regime : plan.regimes()) {
      for (PolicyPair pair : plan.pairs()) {
        SimulatorRouters.create(pair.router(), regime);
        regime.schedulerProfile(BatchSchedulerRegistry.known(pair.scheduler()));
      }
    }
    MatrixResults results = new MatrixResults(plan);
    int planned = plannedSearches();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "matrix-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int c = 0; c < plan.cells().size(); c++) {
        for (int r = 0; r < plan.regimes().size(); r++) {
          List<Long> seeds = plan.seeds(plan.cells().get(c));
          for (int s = 0; s < seeds.size(); s++) {
            int cell = c;
            int regime = r;
            int seed = s;
            tasks.add(pool.submit(() -> runTask(results, cell, regime, seed, seeds.get(seed), done, planned)));
          }
        }
      }
      for (Future<?> task : tasks) {
        await(task);
      }
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  private void runTask(MatrixResults results, int cell, int regime, int seedIndex, long seed,
      AtomicInteger done, int planned) {
    MatrixCell c = plan.cells().get(cell);
    Regime r = plan.regimes().get(regime);
    PreparedScenario prepared = PreparedScenario.of(plan.scenario(c, r, seed), plan.file(), recordings);
    double target = prepared.goodputTarget();
    double knee = Double.NaN;
    for (int p = 0; p < plan.pairs().size(); p++) {
      PolicyPair pair = plan.pairs().get(p);
      ClusterSimulation simulation = prepared.simulation(pair.scheduler());
      GoodputSearch search = new GoodputSearch(
          scale -> simulation.run(prepared.atRateScale(scale), prepared.router(pair.router()), null, null));
      for (Double scale : prepared.scenario().rateScales()) {
        search.at(scale);
      }
      double goodput = search.goodput(target);
      if (p == 0) {
        knee = goodput;
      }
      RunResult atKnee = knee > 0 ? search.at(knee) : null;
      results.put(cell, regime, p, seedIndex, new MatrixResults.SeedOutcome(goodput, knee, atKnee));
      if (progress != null) {
        int n = done.incrementAndGet();
        synchronized (progress) {
          progress.update(n, planned, c.id() + " " + r.key() + " " + pair + " seed " + seed);
        }
      }
    }
  }

  private static void await(Future<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the matrix ran", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
