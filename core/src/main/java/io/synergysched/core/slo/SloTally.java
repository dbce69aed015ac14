package io.synergysched.core.slo;

/**
 * SLO attainment of one engine over one time window, accumulated request by request: counts of
 * requests finished, within TTFT, within TPOT and within both, plus log-bucketed latency
 * histograms for percentiles (12 buckets per decade from 0.1 ms, so a percentile is exact to about
 * 10%). Mutable; one writer.
 */
public final class SloTally {

  /** Histogram buckets: 12 per decade from 0.1 ms to 10^7 ms. */
  public static final int BUCKETS = 96;
  private static final double LOWEST_MS = 0.1;
  private static final double BUCKETS_PER_DECADE = 12.0;

  private final long windowStartMs;
  private int finished;
  private int ttftMet;
  private int tpotMet;
  private int bothMet;
  private int rejected;
  private final int[] ttftHistogram;
  private final int[] tpotHistogram;

  /** An empty tally of the window starting at {@code windowStartMs} (epoch ms). */
  public SloTally(long windowStartMs) {
    this(windowStartMs, 0, 0, 0, 0, 0, new int[BUCKETS], new int[BUCKETS]);
  }

  /** A tally with these counts (for restoring from a store); the arrays are taken, not copied. */
  public SloTally(
      long windowStartMs,
      int finished,
      int ttftMet,
      int tpotMet,
      int bothMet,
      int rejected,
      int[] ttftHistogram,
      int[] tpotHistogram) {
    if (ttftHistogram.length != BUCKETS || tpotHistogram.length != BUCKETS) {
      throw new IllegalArgumentException("histograms must have " + BUCKETS + " buckets");
    }
    this.windowStartMs = windowStartMs;
    this.finished = finished;
    this.ttftMet = ttftMet;
    this.tpotMet = tpotMet;
    this.bothMet = bothMet;
    this.rejected = rejected;
    this.ttftHistogram = ttftHistogram;
    this.tpotHistogram = tpotHistogram;
  }

  /**
   * Counts one finished request.
   *
   * @param ttftMs its time to first token, ms, &gt;= 0
   * @param tpotMs its mean time per output token after the first, ms, or NaN when it produced one
   *     token (then TPOT is met by definition)
   * @param sloTtftMs TTFT target, ms, or NaN when the request has none (then met)
   * @param sloTpotMs TPOT target, ms, or NaN when none (then met)
   */
  public void recordFinished(double ttftMs, double tpotMs, double sloTtftMs, double sloTpotMs) {
    finished++;
    boolean ttftOk = Double.isNaN(sloTtftMs) || ttftMs <= sloTtftMs;
    boolean tpotOk = Double.isNaN(tpotMs) || Double.isNaN(sloTpotMs) || tpotMs <= sloTpotMs;
    if (ttftOk) {
      ttftMet++;
    }
    if (tpotOk) {
      tpotMet++;
    }
    if (ttftOk && tpotOk) {
      bothMet++;
    }
    ttftHistogram[bucket(ttftMs)]++;
    if (!Double.isNaN(tpotMs)) {
      tpotHistogram[bucket(tpotMs)]++;
    }
  }

  /** Counts one request the engine refused (an SLO miss). */
  public void recordRejected() {
    rejected++;
  }

  /** The {@code q} quantile (0..1) of TTFT, ms, or NaN when no request finished. */
  public double ttftQuantileMs(double q) {
    return quantile(ttftHistogram, q);
  }

  /** The {@code q} quantile (0..1) of TPOT, ms, or NaN when no request produced two tokens. */
  public double tpotQuantileMs(double q) {
    return quantile(tpotHistogram, q);
  }

  /** Share of finished and rejected requests that met both targets, or NaN when there were none. */
  public double attainment() {
    int total = finished + rejected;
    return total == 0 ? Double.NaN : (double) bothMet / total;
  }

  static int bucket(double ms) {
    if (!(ms > LOWEST_MS)) {
      return 0;
    }
    int b = (int) (Math.log10(ms / LOWEST_MS) * BUCKETS_PER_DECADE);
    return Math.min(b, BUCKETS - 1);
  }

  private static double quantile(int[] histogram, double q) {
    long total = 0;
    for (int count : histogram) {
      total += count;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int b = 0; b < histogram.length; b++) {
      seen += histogram[b];
      if (seen >= rank) {
        // geometric middle of the bucket
        return LOWEST_MS * Math.pow(10, (b + 0.5) / BUCKETS_PER_DECADE);
      }
    }
    return LOWEST_MS * Math.pow(10, BUCKETS / BUCKETS_PER_DECADE);
  }

  public long windowStartMs() {
    return windowStartMs;
  }

  public int finished() {
    return finished;
  }

  public int ttftMet() {
    return ttftMet;
  }

  public int tpotMet() {
    return tpotMet;
  }

  public int bothMet() {
    return bothMet;
  }

  public int rejected() {
    return rejected;
  }

  /** The TTFT histogram itself (not a copy), for serialization. */
  public int[] ttftHistogram() {
    return ttftHistogram;
  }

  /** The TPOT histogram itself (not a copy), for serialization. */
  public int[] tpotHistogram() {
    return tpotHistogram;
  }
}
