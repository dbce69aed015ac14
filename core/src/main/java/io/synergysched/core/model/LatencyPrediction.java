package io.synergysched.core.model;

/**
 * A predicted step latency with a two-sided prediction interval, all in microseconds.
 *
 * @param meanUs predicted latency, &gt; 0
 * @param stdUs predictive standard deviation (residual and parameter uncertainty), &gt;= 0
 * @param lowerUs lower end of the interval, &gt;= 0
 * @param upperUs upper end of the interval, &gt;= meanUs
 * @param confidence two-sided coverage the interval was built for, in (0, 1)
 */
public record LatencyPrediction(double meanUs, double stdUs, double lowerUs, double upperUs, double confidence) {

  public LatencyPrediction {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
    }
  }

  /** Builds the Gaussian interval {@code mean +- z std} from milliseconds. */
  public static LatencyPrediction of(double meanMs, double stdMs, double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
    }
    double z = standardNormalQuantile(0.5 + confidence / 2.0);
    double meanUs = meanMs * 1000.0;
    double stdUs = stdMs * 1000.0;
    return new LatencyPrediction(meanUs, stdUs, Math.max(0.0, meanUs - z * stdUs), meanUs + z * stdUs, confidence);
  }

  /**
   * Inverse of the standard normal CDF, for {@code p} in (0, 1), by Acklam's rational approximation
   * (relative error below 1.2e-9), which is ample for an interval width.
   */
  public static double standardNormalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), was " + p);
    }
    final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
    final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
