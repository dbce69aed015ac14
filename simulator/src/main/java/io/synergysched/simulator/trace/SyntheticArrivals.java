package io.synergysched.simulator.trace;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Arrival times for traces that have none: a renewal process with the given mean rate and
 * coefficient of variation of the gaps (Poisson: cv 1; Gamma: any cv, burstier above 1).
 *
 * @param process {@code poisson} or {@code gamma}
 * @param ratePerSecond mean arrivals per second, &gt; 0
 * @param cv coefficient of variation of the gaps (gamma only), &gt; 0
 * @param seed seed of the gaps
 */
public record SyntheticArrivals(String process, double ratePerSecond, double cv, long seed) {

  public SyntheticArrivals {
    process = process == null ? "poisson" : process.toLowerCase(Locale.ROOT);
    if (!process.equals("poisson") && !process.equals("gamma")) {
      throw new IllegalArgumentException("trace.arrival must be poisson or gamma, got " + process);
    }
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("trace.rate_per_s must be > 0, got " + ratePerSecond);
    }
    if (!(cv > 0)) {
      throw new IllegalArgumentException("trace.cv must be > 0, got " + cv);
    }
  }

  /** Fills {@code arrivalsMs} with increasing times starting at 0. */
  void generate(double[] arrivalsMs) {
    SplittableRandom random = new SplittableRandom(seed);
    double meanGapMs = 1000.0 / ratePerSecond;
    double shape = process.equals("poisson") ? 1.0 : 1.0 / (cv * cv);
    double t = 0;
    for (int i = 0; i < arrivalsMs.length; i++) {
      arrivalsMs[i] = t;
      t += gamma(random, shape) * meanGapMs / shape;
    }
  }

  /** Marsaglia and Tsang's gamma sampler, unit scale. */
  private static double gamma(SplittableRandom random, double shape) {
    if (shape < 1) {
      double u = random.nextDouble();
      return gamma(random, shape + 1) * Math.pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
