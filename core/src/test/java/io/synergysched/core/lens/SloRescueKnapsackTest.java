package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SloRescueKnapsackTest {

  @Test
  void shouldMatchBruteForceWhenItemsHaveNestedDeadlines() {
    SplittableRandom random = new SplittableRandom(42);
    SloRescueKnapsack knapsack = new SloRescueKnapsack(12, 128);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + random.nextInt(12);
      int[] weight = new int[n];
      int[] capacity = new int[n];
      double[] value = new double[n];
      int cap = 0;
      for (int j = 0; j < n; j++) {
        weight[j] = 1 + random.nextInt(40);
        cap += random.nextInt(30);
        capacity[j] = Math.min(128, cap);
        value[j] = 1 + random.nextInt(3);
      }
      boolean[] chosen = new boolean[n];
      double got = knapsack.solve(n, weight, capacity, value, chosen);

      assertThat(got).isEqualTo(bruteForce(n, weight, capacity, value));
      assertThat(feasible(n, weight, capacity, chosen)).isTrue();
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += chosen[j] ? value[j] : 0;
      }
      assertThat(sum).isEqualTo(got);
    }
  }

  @Test
  void shouldPreferLessWorkWhenValuesTie() {
    SloRescueKnapsack knapsack = new SloRescueKnapsack(4, 128);
    boolean[] chosen = new boolean[2];
    knapsack.solve(2, new int[] {50, 10}, new int[] {55, 55}, new double[] {1, 1}, chosen);
    assertThat(chosen).containsExactly(false, true);
  }

  @Test
  void shouldChooseNothingWhenNoDeadlineCanBeMet() {
    SloRescueKnapsack knapsack = new SloRescueKnapsack(4, 128);
    boolean[] chosen = new boolean[2];
    double value = knapsack.solve(2, new int[] {50, 60}, new int[] {10, 20}, new double[] {1, 1}, chosen);
    assertThat(value).isZero();
    assertThat(chosen).containsExactly(false, false);
  }

  private static boolean feasible(int n, int[] weight, int[] capacity, boolean[] chosen) {
    int work = 0;
    for (int j = 0; j < n; j++) {
      if (chosen[j]) {
        work += weight[j];
        if (work > capacity[j]) {
          return false;
        }
      }
    }
    return true;
  }

  private static double bruteForce(int n, int[] weight, int[] capacity, double[] value) {
    double best = 0;
    boolean[] set = new boolean[n];
    for (int mask = 0; mask < 1 << n; mask++) {
      double v = 0;
      for (int j = 0; j < n; j++) {
        set[j] = (mask >> j & 1) == 1;
        v += set[j] ? value[j] : 0;
      }
      if (v > best && feasible(n, weight, capacity, set)) {
        best = v;
      }
    }
    return best;
  }
}
