package io.synergysched.core.model;

/**
 * Solves the small normal equations {@code A theta = b} with {@code theta_i >= 0} for the
 * constrained indices, by an active-set method (Lawson and Hanson's NNLS, applied to the quadratic
 * {@code 1/2 theta'A theta - b'theta}) warm-started from the previous solution and free set.
 *
 * <p>Why hand-written: the dimension is 8, the solve runs on every learned step, and a library
 * would allocate. Each free-set solve is a Cholesky factorisation of the free block with a relative
 * jitter, so a direction no data has excited yet still yields a finite (ridge-like) answer. In the
 * steady state the free set does not change between steps and one factorisation suffices.
 *
 * <p>Not thread-safe: it owns scratch buffers. One instance per model.
 */
final class NonNegativeNormalSolver {

  private static final double RELATIVE_JITTER = 1e-10;
  private static final double ABSOLUTE_JITTER = 1e-300;

  private final int n;
  private final boolean[] constrained;
  private final boolean[] free;
  private final int[] freeIndex;
  private final double[] factor;
  private final double[] rhs;
  private final double[] candidate;
  private final double[] gradient;

  NonNegativeNormalSolver(int dimension, boolean[] constrained) {
    this.n = dimension;
    this.constrained = constrained.clone();
    this.free = new boolean[dimension];
    java.util.Arrays.fill(free, true);
    this.freeIndex = new int[dimension];
    this.factor = new double[dimension * dimension];
    this.rhs = new double[dimension];
    this.candidate = new double[dimension];
    this.gradient = new double[dimension];
  }

  /**
   * Overwrites {@code theta} with the constrained minimiser. {@code theta} must be feasible on
   * entry (it is the previous solution); {@code a} is row-major {@code n x n}, symmetric, positive
   * semi-definite. Returns false, leaving {@code theta} unchanged, only if no factorisation
   * succeeded even with jitter (a matrix with NaN entries).
   */
  boolean solve(double[] a, double[] b, double[] theta) {
    for (int i = 0; i < n; i++) {
      if (!constrained[i]) {
        free[i] = true;
      } else if (!(theta[i] > 0.0)) {
        theta[i] = 0.0;
      }
      if (!free[i]) {
        theta[i] = 0.0;
      }
    }
    int maxIterations = 3 * n + 3;
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      if (!solveFree(a, b)) {
        return false;
      }
      // Step back toward theta until the first free constrained coefficient would turn negative.
      double step = 1.0;
      int blocking = -1;
      for (int i = 0; i < n; i++) {
        if (free[i] && constrained[i] && candidate[i] < 0.0) {
          double denominator = theta[i] - candidate[i];
          double ratio = denominator > 0.0 ? theta[i] / denominator : 0.0;
          if (ratio < step) {
            step = ratio;
            blocking = i;
          }
        }
      }
      if (blocking >= 0) {
        for (int i = 0; i < n; i++) {
          if (free[i]) {
            theta[i] += step * (candidate[i] - theta[i]);
          }
        }
        for (int i = 0; i < n; i++) {
          if (free[i] && constrained[i] && (i == blocking || theta[i] <= 0.0)) {
            theta[i] = 0.0;
            free[i] = false;
          }
        }
        continue;
      }
      for (int i = 0; i < n; i++) {
        theta[i] = free[i] ? candidate[i] : 0.0;
      }
      // KKT: a bound coefficient may be released if the objective still decreases along it.
      int release = -1;
      double best = 0.0;
      double scale = 0.0;
      for (int i = 0; i < n; i++) {
        double g = b[i];
        for (int j = 0; j < n; j++) {
          g -= a[i * n + j] * theta[j];
        }
        gradient[i] = g;
        scale = Math.max(scale, Math.abs(b[i]));
      }
      double tolerance = 1e-12 * (scale + 1e-300);
      for (int i = 0; i < n; i++) {
        if (!free[i] && gradient[i] > tolerance && gradient[i] > best) {
          best = gradient[i];
          release = i;
        }
      }
      if (release < 0) {
        return true;
      }
      free[release] = true;
    }
    return true;
  }

  /** Unconstrained solve on the free block into {@code candidate}; bound entries are zero. */
  private boolean solveFree(double[] a, double[] b) {
    int k = 0;
    double maxDiagonal = 0.0;
    for (int i = 0; i < n; i++) {
      if (free[i]) {
        freeIndex[k++] = i;
        maxDiagonal = Math.max(maxDiagonal, a[i * n + i]);
      }
    }
    double jitter = RELATIVE_JITTER * maxDiagonal + ABSOLUTE_JITTER;
    for (int attempt = 0; attempt < 4; attempt++) {
      if (choleskyOfFreeBlock(a, k, jitter)) {
        for (int r = 0; r < k; r++) {
          rhs[r] = b[freeIndex[r]];
        }
        solveFactored(factor, k, rhs);
        java.util.Arrays.fill(candidate, 0.0);
        for (int r = 0; r < k; r++) {
          candidate[freeIndex[r]] = rhs[r];
        }
        return true;
      }
      jitter = jitter * 1e4 + 1e-12 * (maxDiagonal + 1.0);
    }
    return false;
  }

  private boolean choleskyOfFreeBlock(double[] a, int k, double jitter) {
    for (int r = 0; r < k; r++) {
      for (int c = 0; c <= r; c++) {
        double sum = a[freeIndex[r] * n + freeIndex[c]];
        if (r == c) {
          sum += jitter;
        }
        for (int m = 0; m < c; m++) {
          sum -= factor[r * n + m] * factor[c * n + m];
        }
        if (r == c) {
          if (!(sum > 0.0)) {
            return false;
          }
          factor[r * n + r] = Math.sqrt(sum);
        } else {
          factor[r * n + c] = sum / factor[c * n + c];
        }
      }
    }
    return true;
  }

  /** Solves {@code L L' x = v} in place, {@code L} lower-triangular with row stride {@link #n}. */
  private void solveFactored(double[] lower, int k, double[] v) {
    for (int r = 0; r < k; r++) {
      double sum = v[r];
      for (int m = 0; m < r; m++) {
        sum -= lower[r * n + m] * v[m];
      }
      v[r] = sum / lower[r * n + r];
    }
    for (int r = k - 1; r >= 0; r--) {
      double sum = v[r];
      for (int m = r + 1; m < k; m++) {
        sum -= lower[m * n + r] * v[m];
      }
      v[r] = sum / lower[r * n + r];
    }
  }

  /**
   * Fills {@code inverse} (row-major {@code n x n}) with {@code (A + jitter)^-1}, for parameter
   * covariances. Allocation-free; returns false if {@code a} cannot be factored.
   */
  boolean invert(double[] a, double[] inverse) {
    for (int i = 0; i < n; i++) {
      freeIndex[i] = i;
    }
    double maxDiagonal = 0.0;
    for (int i = 0; i < n; i++) {
      maxDiagonal = Math.max(maxDiagonal, a[i * n + i]);
    }
    double jitter = RELATIVE_JITTER * maxDiagonal + ABSOLUTE_JITTER;
    boolean factored = false;
    for (int attempt = 0; attempt < 4 && !factored; attempt++) {
      factored = choleskyOfFreeBlock(a, n, jitter);
      jitter = jitter * 1e4 + 1e-12 * (maxDiagonal + 1.0);
    }
    if (!factored) {
      return false;
    }
    for (int column = 0; column < n; column++) {
      java.util.Arrays.fill(rhs, 0.0);
      rhs[column] = 1.0;
      solveFactored(factor, n, rhs);
      for (int r = 0; r < n; r++) {
        inverse[r * n + column] = rhs[r];
      }
    }
    return true;
  }
}
