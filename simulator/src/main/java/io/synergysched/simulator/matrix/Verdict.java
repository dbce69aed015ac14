package io.synergysched.simulator.matrix;

/**
 * Whether our pair beat the best baseline of a cell. A difference counts only when it lies outside
 * the seeds' spread: a win when our worst seed is above the baseline's best seed, a loss when our
 * best seed is below its worst, a tie otherwise (the spreads overlap).
 */
public enum Verdict {
  WIN,
  TIE,
  LOSS;

  public static Verdict of(SeedSpread ours, SeedSpread best) {
    if (ours.min() > best.max()) {
      return WIN;
    }
    if (ours.max() < best.min()) {
      return LOSS;
    }
    return TIE;
  }
}
