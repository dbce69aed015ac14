package io.synergysched.core.model.audit;

/**
 * Streaming accuracy of predictions against measurements: R^2, MAPE and MAE, with Welford's
 * update for the variance of the measurements so a long run does not lose precision.
 * Not thread-safe; allocation-free.
 */
public final class AccuracyAccumulator {

  private long count;
  private double mean;
  private double sumSquaredDeviation;
  private double sumSquaredError;
  private double sumAbsoluteError;
  private double sumAbsolutePercentageError;

  /** Adds one step; both in microseconds, {@code measuredUs > 0}. */
  public void add(double measuredUs, double predictedUs) {
    double measuredMs = measuredUs / 1000.0;
    double error = (predictedUs - measuredUs) / 1000.0;
    count++;
    double delta = measuredMs - mean;
    mean += delta / count;
    sumSquaredDeviation += delta * (measuredMs - mean);
    sumSquaredError += error * error;
    sumAbsoluteError += Math.abs(error);
    sumAbsolutePercentageError += Math.abs(error) / measuredMs;
  }

  /** Adds every step {@code other} has seen (Chan's parallel update), leaving {@code other} unchanged. */
  public void merge(AccuracyAccumulator other) {
    if (other.count == 0) {
      return;
    }
    long total = count + other.count;
    double delta = other.mean - mean;
    sumSquaredDeviation += other.sumSquaredDeviation + delta * delta * count * other.count / total;
    mean += delta * other.count / total;
    count = total;
    sumSquaredError += other.sumSquaredError;
    sumAbsoluteError += other.sumAbsoluteError;
    sumAbsolutePercentageError += other.sumAbsolutePercentageError;
  }

  public long count() {
    return count;
  }

  /** Coefficient of determination, 1 - SSE/SST; NaN with fewer than two steps or constant measurements. */
  public double r2() {
    return count < 2 || sumSquaredDeviation <= 0 ? Double.NaN : 1.0 - sumSquaredError / sumSquaredDeviation;
  }

  /** Mean absolute percentage error as a fraction (0.05 is 5%); NaN without steps. */
  public double mape() {
    return count == 0 ? Double.NaN : sumAbsolutePercentageError / count;
  }

  /** Mean absolute error, milliseconds; NaN without steps. */
  public double maeMs() {
    return count == 0 ? Double.NaN : sumAbsoluteError / count;
  }

  /** Mean measured latency, milliseconds. */
  public double meanMs() {
    return mean;
  }
}
