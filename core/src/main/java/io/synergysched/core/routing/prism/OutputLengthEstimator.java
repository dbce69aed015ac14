package io.synergysched.core.routing.prism;

/**
 * Expected output length of a request from its prompt length, learned online from the requests
 * that finished (never from the trace's true lengths): a mean per prompt-length bucket (powers of
 * two), shrunk toward the global mean by {@code n / (n + shrink)} while a bucket has few samples.
 * Means are exponentially weighted (memory about {@code memory} requests) so a workload shift is
 * followed. Single-threaded.
 */
public final class OutputLengthEstimator {

  private static final int BUCKETS = 24;

  private final double memory;
  private final double shrink;
  private final double[] mean = new double[BUCKETS];
  private final double[] count = new double[BUCKETS];
  private double globalMean;
  private double globalSquare;
  private double globalCount;

  /**
   * @param initialMean tokens assumed before anything finished, &gt;= 1
   * @param memory effective number of recent requests a mean remembers, &gt;= 1
   * @param shrink pseudo-count pulling a bucket toward the global mean, &gt;= 0
   */
  public OutputLengthEstimator(double initialMean, double memory, double shrink) {
    if (!(initialMean >= 1) || !(memory >= 1) || !(shrink >= 0)) {
      throw new IllegalArgumentException("need initialMean >= 1, memory >= 1, shrink >= 0");
    }
    this.memory = memory;
    this.shrink = shrink;
    this.globalMean = initialMean;
    this.globalSquare = 2.0 * initialMean * initialMean;
  }

  static int bucket(int promptTokens) {
    return Math.min(BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, promptTokens)));
  }

  /** Learns from a finished request: its prompt and the tokens it generated (&gt;= 1). */
  public void learn(int promptTokens, int outputTokens) {
    if (outputTokens < 1) {
      return;
    }
    int b = bucket(promptTokens);
    count[b] = Math.min(count[b] + 1, memory);
    mean[b] += (outputTokens - mean[b]) / count[b];
    globalCount = Math.min(globalCount + 1, memory);
    globalMean += (outputTokens - globalMean) / globalCount;
    globalSquare += ((double) outputTokens * outputTokens - globalSquare) / globalCount;
  }

  /**
   * Mean tokens a request that is already decoding still has to generate: the residual life
   * {@code E[L^2] / (2 E[L])}, longer than the mean output when lengths vary (the running set is
   * biased toward long requests). &gt;= 1.
   */
  public double meanRemainingOfRunning() {
    return Math.max(1, globalSquare / (2 * Math.max(1, globalMean)) + 0.5);
  }

  /** Expected output tokens for a prompt of this length, &gt;= 1. */
  public double expected(int promptTokens) {
    int b = bucket(promptTokens);
    double n = count[b];
    double w = n / (n + shrink);
    return Math.max(1, w * mean[b] + (1 - w) * globalMean);
  }

  /** Mean over every finished request so far (or the initial value), &gt;= 1. */
  public double globalMean() {
    return Math.max(1, globalMean);
  }
}
