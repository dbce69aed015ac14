package io.synergysched.simulator.matrix;

/**
 * Mean, minimum and maximum of one quantity over the seeds of a cell.
 *
 * @param seeds how many values were not NaN; 0 leaves mean, min and max NaN
 */
public record SeedSpread(double mean, double min, double max, int seeds) {

  /** Over the values that are not NaN. */
  public static SeedSpread of(double... values) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (double v : values) {
      if (Double.isNaN(v)) {
        continue;
      }
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      n++;
    }
    return n == 0 ? new SeedSpread(Double.NaN, Double.NaN, Double.NaN, 0) : new SeedSpread(sum / n, min, max, n);
  }
}
