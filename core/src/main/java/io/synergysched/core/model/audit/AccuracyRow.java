package io.synergysched.core.model.audit;

/**
 * One line of an audit: how one predictor did on one engine's steps in one phase.
 *
 * @param engine engine id, or {@link #ALL_ENGINES} for the pooled row
 * @param predictor predictor name ({@code synergy}, {@code llumnix-quadratic}, {@code llmd-linear})
 * @param phase {@link #WARMUP} (an engine's first steps), {@link #STEADY} (the rest) or {@link #ALL}
 * @param steps steps scored
 * @param r2 coefficient of determination, NaN with fewer than two steps
 * @param mape mean absolute percentage error, fraction (0.05 = 5%)
 * @param maeMs mean absolute error, milliseconds
 */
public record AccuracyRow(String engine, String predictor, String phase, long steps, double r2, double mape, double maeMs) {

  public static final String ALL_ENGINES = "*";
  public static final String WARMUP = "warmup";
  public static final String STEADY = "steady";
  public static final String ALL = "all";

  static AccuracyRow of(String engine, String predictor, String phase, AccuracyAccumulator accuracy) {
    return new AccuracyRow(engine, predictor, phase, accuracy.count(), accuracy.r2(), accuracy.mape(), accuracy.maeMs());
  }
}
