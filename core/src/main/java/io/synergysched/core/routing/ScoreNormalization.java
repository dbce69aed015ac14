package io.synergysched.core.routing;

/** llm-d's min-max normalization of a "less is better" load into a score in [0, 1]. */
public final class ScoreNormalization {

  private ScoreNormalization() {}

  /**
   * {@code scores[k] = (max - load[k]) / (max - min)} over {@code k < m}; every score is 1 when all
   * loads are equal (llm-d's neutral score).
   */
  public static void lessIsBetter(double[] load, int m, double[] scores) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < m; k++) {
      min = Math.min(min, load[k]);
      max = Math.max(max, load[k]);
    }
    for (int k = 0; k < m; k++) {
      scores[k] = max == min ? 1.0 : (max - load[k]) / (max - min);
    }
  }
}
