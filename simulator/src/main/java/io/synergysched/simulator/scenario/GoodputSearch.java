package io.synergysched.simulator.scenario;

import io.synergysched.simulator.cluster.RunResult;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The goodput of one router x scheduler pair (DistServe's): the highest rate scale whose SLO
 * attainment reaches the target. Bracketed by the scales already run (the grid), doubled past it
 * up to {@value #DOUBLINGS} times when every scale passes, then bisected up to
 * {@value #BISECTION_STEPS} times or until the bracket is within 1%. Runs are kept by scale, so
 * asking for a scale twice runs it once. Not thread-safe: one search belongs to one thread.
 */
public final class GoodputSearch {

  static final int BISECTION_STEPS = 6;
  static final int DOUBLINGS = 4;

  private final Function<Double, RunResult> simulate;
  private final TreeMap<Double, RunResult> byScale = new TreeMap<>();

  /** @param simulate runs the pair at a rate scale (&gt; 0) */
  public GoodputSearch(Function<Double, RunResult> simulate) {
    this.simulate = simulate;
  }

  /** The run at {@code scale}, made now unless it was made before. */
  public RunResult at(double scale) {
    return byScale.computeIfAbsent(scale, simulate);
  }

  /** Keeps a run made elsewhere (for example with a telemetry listener) as the run at its scale. */
  public void record(double scale, RunResult result) {
    byScale.put(scale, result);
  }

  /** Every run so far, by rate scale. */
  public Map<Double, RunResult> runs() {
    return java.util.Collections.unmodifiableMap(byScale);
  }

  /**
   * @param target attainment that defines goodput, in (0, 1]
   * @return the goodput rate scale; 0 when even a sixteenth of the lowest failing scale fails
   * @throws java.util.NoSuchElementException when no scale was run yet (run the grid first)
   */
  public double goodput(double target) {
    double lo = 0;
    double hi = Double.NaN;
    for (Map.Entry<Double, RunResult> e : new TreeMap<>(byScale).entrySet()) {
      if (e.getValue().sloAttainment() >= target) {
        if (Double.isNaN(hi)) {
          lo = e.getKey();
        }
      } else if (Double.isNaN(hi)) {
        hi = e.getKey();
      }
    }
    if (Double.isNaN(hi)) {
      double scale = byScale.lastKey();
      for (int i = 0; i < DOUBLINGS && Double.isNaN(hi); i++) {
        scale *= 2;
        if (at(scale).sloAttainment() >= target) {
          lo = scale;
        } else {
          hi = scale;
        }
      }
      if (Double.isNaN(hi)) {
        return lo;
      }
    }
    if (lo == 0) {
      lo = hi / 16;
      if (at(lo).sloAttainment() < target) {
        return 0;
      }
    }
    for (int i = 0; i < BISECTION_STEPS && hi - lo > 0.01 * hi; i++) {
      double mid = round3((lo + hi) / 2);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (at(mid).sloAttainment() >= target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
