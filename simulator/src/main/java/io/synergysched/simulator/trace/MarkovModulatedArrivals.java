package io.synergysched.simulator.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bursty arrivals: a two-state Markov-modulated Poisson process (MMPP). The process alternates
 * between a calm and a burst state whose sojourns are exponential with means {@code calmMeanS} and
 * {@code burstMeanS} (seconds of simulated time); within a state arrivals are Poisson, the burst
 * rate being {@code burstRatio} times the calm rate, and the two rates are set so that the
 * long-run mean is the rate asked for. docs/simulator.md gives the parameters the matrix uses and
 * why.
 *
 * <p>Arrivals are built by a time change: the state path and a sequence of unit-rate event times
 * E_1 &lt; E_2 &lt; ... depend only on the seed, and at mean rate m the i-th arrival is the time t
 * at which m times the integral of the state's rate factor from 0 to t reaches E_i. So one seed
 * gives one pattern of bursts, and a higher rate moves every arrival earlier.
 *
 * @param calmMeanS mean calm sojourn, seconds, &gt; 0
 * @param burstMeanS mean burst sojourn, seconds, &gt; 0
 * @param burstRatio burst rate over calm rate, &gt;= 1 (1: Poisson)
 * @param seed seed of the state path and the event times
 */
public record MarkovModulatedArrivals(double calmMeanS, double burstMeanS, double burstRatio, long seed) {

  public MarkovModulatedArrivals {
    if (!(calmMeanS > 0) || Double.isInfinite(calmMeanS)) {
      throw new IllegalArgumentException("trace.mmpp.calm_s must be > 0, got " + calmMeanS);
    }
    if (!(burstMeanS > 0) || Double.isInfinite(burstMeanS)) {
      throw new IllegalArgumentException("trace.mmpp.burst_s must be > 0, got " + burstMeanS);
    }
    if (!(burstRatio >= 1) || Double.isInfinite(burstRatio)) {
      throw new IllegalArgumentException("trace.mmpp.burst_ratio must be >= 1, got " + burstRatio);
    }
  }

  /** Long-run share of time spent in the burst state, in (0, 1). */
  public double burstShare() {
    return burstMeanS / (calmMeanS + burstMeanS);
  }

  /** Calm rate over the mean rate, in (0, 1]; the burst rate is {@code burstRatio} times it. */
  public double calmRateFactor() {
    return 1 / (1 - burstShare() + burstShare() * burstRatio);
  }

  /**
   * The first {@code n} arrivals at long-run mean rate {@code meanRatePerS}, ms from time 0,
   * increasing. The process starts in its stationary state distribution.
   */
  public double[] arrivalsMs(int n, double meanRatePerS) {
    if (!(meanRatePerS > 0) || Double.isInfinite(meanRatePerS)) {
      throw new IllegalArgumentException("mean rate must be > 0, got " + meanRatePerS);
    }
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom states = root.split();
    SplittableRandom events = root.split();
    double calm = calmRateFactor();
    double burst = calm * burstRatio;
    boolean inBurst = states.nextDouble() < burstShare();
    double segmentStartS = 0;
    double segmentEndS = exponential(states, inBurst ? burstMeanS : calmMeanS);
    double integralAtStart = 0;
    double unitTime = 0;
    double[] arrivals = new double[n];
    for (int i = 0; i < n; i++) {
      unitTime += exponential(events, 1);
      double needed = unitTime / meanRatePerS;
      double factor = inBurst ? burst : calm;
      while (integralAtStart + factor * (segmentEndS - segmentStartS) < needed) {
        integralAtStart += factor * (segmentEndS - segmentStartS);
        inBurst = !inBurst;
        factor = inBurst ? burst : calm;
        segmentStartS = segmentEndS;
        segmentEndS += exponential(states, inBurst ? burstMeanS : calmMeanS);
      }
      arrivals[i] = (segmentStartS + (needed - integralAtStart) / factor) * 1000;
    }
    return arrivals;
  }

  /**
   * The same requests in the same order with MMPP arrival times at {@code meanRatePerS}: lengths,
   * SLOs, sessions and prefix hashes are kept, only the times change.
   */
  public List<TraceRequest> retime(List<TraceRequest> requests, double meanRatePerS) {
    double[] times = arrivalsMs(requests.size(), meanRatePerS);
    List<TraceRequest> retimed = new ArrayList<>(requests.size());
    for (int i = 0; i < times.length; i++) {
      retimed.add(requests.get(i).withArrival(times[i]));
    }
    return retimed;
  }

  private static double exponential(SplittableRandom random, double mean) {
    return -Math.log(1 - random.nextDouble()) * mean;
  }
}
