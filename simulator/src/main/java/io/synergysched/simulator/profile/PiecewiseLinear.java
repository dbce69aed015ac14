package io.synergysched.simulator.profile;

import java.util.Arrays;

/**
 * A function known at sorted grid points, linear in between. Below the first point it holds the
 * first value (kernel-launch floor); above the last it continues the last segment, which keeps
 * it monotone whenever the grid values are.
 */
final class PiecewiseLinear {

  private final double[] xs;
  private final double[] ys;

  /** @param xs strictly increasing, at least one point; ys the same length */
  PiecewiseLinear(double[] xs, double[] ys) {
    if (xs.length == 0 || xs.length != ys.length) {
      throw new IllegalArgumentException("need matching, non-empty grids");
    }
    for (int i = 1; i < xs.length; i++) {
      if (!(xs[i] > xs[i - 1])) {
        throw new IllegalArgumentException("grid not strictly increasing at " + xs[i]);
      }
    }
    this.xs = xs.clone();
    this.ys = ys.clone();
  }

  double value(double x) {
    int n = xs.length;
    if (x <= xs[0] || n == 1) {
      return ys[0];
    }
    if (x >= xs[n - 1]) {
      double slope = (ys[n - 1] - ys[n - 2]) / (xs[n - 1] - xs[n - 2]);
      return ys[n - 1] + Math.max(0.0, slope) * (x - xs[n - 1]);
    }
    int i = Arrays.binarySearch(xs, x);
    if (i >= 0) {
      return ys[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double f = (x - xs[lo]) / (xs[hi] - xs[lo]);
    return ys[lo] + f * (ys[hi] - ys[lo]);
  }

  double firstX() {
    return xs[0];
  }

  double lastX() {
    return xs[xs.length - 1];
  }

  double lastY() {
    return ys[ys.length - 1];
  }
}
