package io.synergysched.core.lens;

/**
 * Picks the prefills to save when not all can meet their TTFT: a 0/1 knapsack by dynamic
 * programming over prefill work, with the twist that work is done in deadline order, so an item
 * fits only if the work chosen up to and including it fits before its own deadline (Lawler and
 * Moore's DP for the weighted number of late jobs on one machine). Items come in deadline order;
 * item {@code j} has a weight (work units, &gt;= 1), a capacity (work units the engine can do
 * before its deadline) and a value (SLOs saved, &gt; 0). The result maximises the total value and,
 * among equal values, the least work.
 *
 * <p>Cost O(items x capacity); the caller bounds both (quantised work). Allocation-free after
 * construction; single-threaded.
 */
final class SloRescueKnapsack {

  private final int maxItems;
  private final int maxUnits;
  private final double[] best;
  private final boolean[] keep;

  /**
   * @param maxItems most items per solve, &gt; 0
   * @param maxUnits largest capacity in work units, &gt; 0
   */
  SloRescueKnapsack(int maxItems, int maxUnits) {
    if (maxItems <= 0 || maxUnits <= 0) {
      throw new IllegalArgumentException("maxItems and maxUnits must be > 0");
    }
    this.maxItems = maxItems;
    this.maxUnits = maxUnits;
    this.best = new double[maxUnits + 1];
    this.keep = new boolean[maxItems * (maxUnits + 1)];
  }

  int maxItems() {
    return maxItems;
  }

  int maxUnits() {
    return maxUnits;
  }

  /**
   * @param n items, &lt;= maxItems, in non-decreasing deadline order (capacities non-decreasing)
   * @param weight work units of each item, &gt;= 1
   * @param capacity work units that fit before each item's deadline, clamped to [0, maxUnits]
   * @param value SLOs each item saves, &gt; 0
   * @param chosen output: whether each item is in the saved set
   * @return total value of the saved set
   */
  double solve(int n, int[] weight, int[] capacity, double[] value, boolean[] chosen) {
    if (n > maxItems) {
      throw new IllegalArgumentException("at most " + maxItems + " items, got " + n);
    }
    int top = 0;
    for (int j = 0; j < n; j++) {
      top = Math.max(top, Math.min(maxUnits, Math.max(0, capacity[j])));
    }
    best[0] = 0.0;
    for (int c = 1; c <= top; c++) {
      best[c] = Double.NEGATIVE_INFINITY;
    }
    int width = top + 1;
    for (int j = 0; j < n; j++) {
      int cap = Math.min(top, Math.max(0, capacity[j]));
      int w = weight[j];
      int row = j * width;
      for (int c = 0; c <= top; c++) {
        keep[row + c] = false;
      }
      // Downward, so each item is used at most once; only totals within the item's own deadline.
      for (int c = cap; c >= w; c--) {
        double with = best[c - w] + value[j];
        if (with > best[c]) {
          best[c] = with;
          keep[row + c] = true;
        }
      }
    }
    int at = 0;
    for (int c = 1; c <= top; c++) {
      if (best[c] > best[at]) {
        at = c;
      }
    }
    double total = best[at];
    for (int j = n - 1; j >= 0; j--) {
      boolean in = keep[j * width + at];
      chosen[j] = in;
      if (in) {
        at -= weight[j];
      }
    }
    return total;
  }
}
