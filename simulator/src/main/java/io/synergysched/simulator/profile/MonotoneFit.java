package io.synergysched.simulator.profile;

/**
 * Makes measured medians non-decreasing while moving as few of them as possible.
 *
 * <p>Why: the profiles carry run-to-run noise (neighbouring grid points dip by up to 15%, and
 * small all-reduces swing between 0.01 and 0.06 ms), and a step time that falls when tokens are
 * added would let a scheduler exploit noise. Along one axis the least-squares isotonic fit (pool
 * adjacent violators) changes only the points that violate the order. On a grid, fits along the
 * two axes alternate until they agree; a last pass of the L-infinity fit (midpoint of the running
 * maximum from below and the running minimum from above) guarantees the order along both axes,
 * since maxima, minima and averages of non-decreasing functions are non-decreasing.
 */
final class MonotoneFit {

  private static final int ALTERNATIONS = 30;

  private MonotoneFit() {}

  /** Least-squares isotonic fit of {@code values[from..to)}, in place. */
  static void fit(double[] values, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    double[] blockMean = new double[n];
    int[] blockSize = new int[n];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      blockMean[blocks] = values[from + i];
      blockSize[blocks] = 1;
      blocks++;
      while (blocks > 1 && blockMean[blocks - 2] > blockMean[blocks - 1]) {
        int size = blockSize[blocks - 2] + blockSize[blocks - 1];
        blockMean[blocks - 2] = (blockMean[blocks - 2] * blockSize[blocks - 2]
            + blockMean[blocks - 1] * blockSize[blocks - 1]) / size;
        blockSize[blocks - 2] = size;
        blocks--;
      }
    }
    int i = from;
    for (int b = 0; b < blocks; b++) {
      for (int k = 0; k < blockSize[b]; k++) {
        values[i++] = blockMean[b];
      }
    }
  }

  static void fit(double[] values) {
    fit(values, 0, values.length);
  }

  /** L-infinity isotonic fit of {@code values[from..to)}, in place. */
  static void envelope(double[] values, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    double[] upper = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, values[from + i]);
      upper[i] = max;
    }
    double min = Double.POSITIVE_INFINITY;
    for (int i = n - 1; i >= 0; i--) {
      min = Math.min(min, values[from + i]);
      values[from + i] = 0.5 * (upper[i] + min);
    }
  }

  /**
   * Fits a grid whose rows may have different lengths ({@code grid[r][c]}); column {@code c} runs
   * over the rows long enough to have it. Rows must not grow with the row index, so that every
   * row's columns are a prefix of every earlier row's.
   */
  static void fitGrid(double[][] grid) {
    int maxColumns = 0;
    for (double[] row : grid) {
      maxColumns = Math.max(maxColumns, row.length);
    }
    double[] column = new double[grid.length];
    for (int pass = 0; pass <= ALTERNATIONS; pass++) {
      boolean last = pass == ALTERNATIONS;
      for (double[] row : grid) {
        if (last) {
          envelope(row, 0, row.length);
        } else {
          fit(row, 0, row.length);
        }
      }
      for (int c = 0; c < maxColumns; c++) {
        int n = 0;
        while (n < grid.length && grid[n].length > c) {
          column[n] = grid[n][c];
          n++;
        }
        if (last) {
          envelope(column, 0, n);
        } else {
          fit(column, 0, n);
        }
        for (int r = 0; r < n; r++) {
          grid[r][c] = column[r];
        }
      }
      if (!last && isMonotone(grid)) {
        return;
      }
    }
  }

  private static boolean isMonotone(double[][] grid) {
    for (int r = 0; r < grid.length; r++) {
      for (int c = 0; c < grid[r].length; c++) {
        if (c > 0 && grid[r][c] < grid[r][c - 1]) {
          return false;
        }
        if (r > 0 && grid[r][c] < grid[r - 1][c]) {
          return false;
        }
      }
    }
    return true;
  }
}
