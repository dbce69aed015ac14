package io.synergysched.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NonNegativeNormalSolverTest {

  private static final int N = 5;

  @Test
  void shouldFindTheBruteForceOptimumWhenConstraintsBind() {
    Random random = new Random(9);
    boolean[] constrained = {false, true, true, true, true};
    NonNegativeNormalSolver solver = new NonNegativeNormalSolver(N, constrained);
    double[] theta = new double[N];
    for (int trial = 0; trial < 300; trial++) {
      double[] a = randomSpd(random);
      double[] b = new double[N];
      for (int i = 0; i < N; i++) {
        b[i] = random.nextGaussian() * 3;
      }
      // warm start from the previous trial's answer, as the model does
      assertThat(solver.solve(a, b, theta)).isTrue();
      double[] best = bruteForce(a, b, constrained);
      assertThat(objective(a, b, theta)).isCloseTo(objective(a, b, best), within(1e-8));
      for (int i = 1; i < N; i++) {
        assertThat(theta[i]).isGreaterThanOrEqualTo(0.0);
      }
    }
  }

  @Test
  void shouldStayFiniteWhenADirectionWasNeverExcited() {
    double[] a = new double[N * N];
    a[0] = 4;
    a[1 * N + 1] = 1;
    double[] b = {8, 3, 0, 0, 0};
    double[] theta = new double[N];
    new NonNegativeNormalSolver(N, new boolean[] {false, true, true, true, true}).solve(a, b, theta);
    assertThat(theta).containsExactly(new double[] {2, 3, 0, 0, 0}, within(1e-6));
  }

  private static double[] randomSpd(Random random) {
    double[] m = new double[N * N];
    for (int k = 0; k < N * N; k++) {
      m[k] = random.nextGaussian();
    }
    double[] a = new double[N * N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        double sum = i == j ? 0.1 : 0.0;
        for (int k = 0; k < N; k++) {
          sum += m[k * N + i] * m[k * N + j];
        }
        a[i * N + j] = sum;
      }
    }
    return a;
  }

  private static double objective(double[] a, double[] b, double[] x) {
    double value = 0;
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        value += 0.5 * x[i] * a[i * N + j] * x[j];
      }
      value -= b[i] * x[i];
    }
    return value;
  }

  /** Tries every free set of the constrained coordinates, keeps the best feasible stationary point. */
  private static double[] bruteForce(double[] a, double[] b, boolean[] constrained) {
    double[] best = null;
    double bestValue = Double.POSITIVE_INFINITY;
    for (int mask = 0; mask < (1 << N); mask++) {
      boolean ok = true;
      for (int i = 0; i < N; i++) {
        if (!constrained[i] && (mask & (1 << i)) == 0) {
          ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      final int subset = mask;
      int[] free = java.util.stream.IntStream.range(0, N).filter(i -> (subset & (1 << i)) != 0).toArray();
      int k = free.length;
      double[][] m = new double[k][k + 1];
      for (int r = 0; r < k; r++) {
        for (int c = 0; c < k; c++) {
          m[r][c] = a[free[r] * N + free[c]];
        }
        m[r][k] = b[free[r]];
      }
      for (int c = 0; c < k; c++) {
        int p = c;
        for (int r = c + 1; r < k; r++) {
          if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
            p = r;
          }
        }
        double[] t = m[c];
        m[c] = m[p];
        m[p] = t;
        for (int r = 0; r < k; r++) {
          if (r != c) {
            double f = m[r][c] / m[c][c];
            for (int q = c; q <= k; q++) {
              m[r][q] -= f * m[c][q];
            }
          }
        }
      }
      double[] x = new double[N];
      boolean feasible = true;
      for (int r = 0; r < k; r++) {
        x[free[r]] = m[r][k] / m[r][r];
        if (constrained[free[r]] && x[free[r]] < -1e-12) {
          feasible = false;
        }
      }
      if (feasible && objective(a, b, x) < bestValue) {
        bestValue = objective(a, b, x);
        best = x;
      }
    }
    return best;
  }
}
