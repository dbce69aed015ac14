package io.synergysched.core.model.audit;

import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a predictor's error sits: its steady-state accuracy per engine split by what a step was
 * (step class, prefill chunk size, cached context the prefill attended to, decode batch), and its
 * median absolute relative error on the largest 5% of steps by measured duration, the long
 * prefills that decide TTFT. A pooled R^2 hides these: a model can be right on the many short
 * decode steps and wrong on the few long ones. Not thread-safe.
 */
public final class ResidualBreakdown {

  /** The share of steps, by duration, that {@link #largestSteps} looks at. */
  public static final double LARGEST_SHARE = 0.05;

  /** One group's accuracy: dimension (e.g. {@code class}), group (e.g. {@code mixed}). */
  public record Row(String engine, String predictor, String dimension, String group, long steps,
      double r2, double mape, double maeMs, double meanMs, double meanSignedErrorMs) {}

  /**
   * The largest steps' accuracy.
   *
   * @param steps how many steps are among the largest {@link #LARGEST_SHARE}
   * @param thresholdMs the shortest of them, ms
   * @param medianAbsRelError median of |predicted - measured| / measured over them, fraction
   */
  public record Largest(String engine, String predictor, long steps, double thresholdMs,
      double medianAbsRelError) {}

  private static final String[] DIMENSIONS = {"class", "chunk", "cached", "decodes"};

  private final Map<String, Map<String, Series>> byEngine = new TreeMap<>();

  /** Adds one scored step of {@code engine} and what {@code predictor} predicted for it. */
  public void add(String engine, String predictor, StepObservation step, double predictedUs) {
    Series series = byEngine.computeIfAbsent(engine, e -> new LinkedHashMap<>())
        .computeIfAbsent(predictor, p -> new Series());
    String[] groups = groupsOf(step);
    for (int d = 0; d < DIMENSIONS.length; d++) {
      series.groups.computeIfAbsent(DIMENSIONS[d] + "\u0000" + groups[d], k -> new Group())
          .add(step.durationUs(), predictedUs);
    }
    series.add(step.durationUs(), predictedUs);
  }

  /** The groups of a step, one per dimension, in {@link #DIMENSIONS} order. */
  static String[] groupsOf(StepObservation step) {
    String stepClass = step.prefillTokens() == 0 ? "decode-only"
        : step.decodeSeqs() == 0 ? "prefill-only" : "mixed";
    int chunk = step.prefillTokens();
    String chunkGroup = chunk == 0 ? "0" : chunk <= 256 ? "1-256" : chunk <= 1024 ? "257-1024"
        : chunk <= 2048 ? "1025-2048" : ">2048";
    long cached = step.prefillCachedContext();
    String cachedGroup = step.prefillTokens() == 0 ? "no prefill" : cached == 0 ? "0"
        : cached <= 2048 ? "1-2048" : cached <= 8192 ? "2049-8192" : ">8192";
    int decodes = step.decodeSeqs();
    String decodeGroup = decodes == 0 ? "0" : decodes <= 8 ? "1-8" : decodes <= 32 ? "9-32"
        : decodes <= 128 ? "33-128" : ">128";
    return new String[] {stepClass, chunkGroup, cachedGroup, decodeGroup};
  }

  /** Every group's row, by engine, predictor, dimension, then group name. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    byEngine.forEach((engine, predictors) -> predictors.forEach((predictor, series) -> {
      new TreeMap<>(series.groups).forEach((key, group) -> {
        String[] parts = key.split("\u0000", 2);
        rows.add(new Row(engine, predictor, parts[0], parts[1], group.accuracy.count(),
            group.accuracy.r2(), group.accuracy.mape(), group.accuracy.maeMs(),
            group.accuracy.meanMs(), group.signedErrorUs / 1000.0 / Math.max(1, group.accuracy.count())));
      });
    }));
    return rows;
  }

  /** Per engine and predictor, the accuracy on the largest {@link #LARGEST_SHARE} of steps. */
  public List<Largest> largestSteps() {
    List<Largest> rows = new ArrayList<>();
    byEngine.forEach((engine, predictors) -> predictors.forEach((predictor, series) ->
        rows.add(series.largest(engine, predictor))));
    return rows;
  }

  private static final class Group {
    final AccuracyAccumulator accuracy = new AccuracyAccumulator();
    double signedErrorUs;

    void add(double measuredUs, double predictedUs) {
      accuracy.add(measuredUs, predictedUs);
      signedErrorUs += predictedUs - measuredUs;
    }
  }

  /** Every step's measured and predicted duration, for the largest-steps figure. */
  private static final class Series {
    final Map<String, Group> groups = new LinkedHashMap<>();
    double[] measured = new double[1024];
    double[] predicted = new double[1024];
    int size;

    void add(double measuredUs, double predictedUs) {
      if (size == measured.length) {
        measured = Arrays.copyOf(measured, size * 2);
        predicted = Arrays.copyOf(predicted, size * 2);
      }
      measured[size] = measuredUs;
      predicted[size] = predictedUs;
      size++;
    }

    Largest largest(String engine, String predictor) {
      if (size == 0) {
        return new Largest(engine, predictor, 0, Double.NaN, Double.NaN);
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(measured[b], measured[a]));
      int n = Math.max(1, (int) Math.ceil(LARGEST_SHARE * size));
      double[] errors = new double[n];
      for (int k = 0; k < n; k++) {
        int i = order[k];
        errors[k] = Math.abs(predicted[i] - measured[i]) / measured[i];
      }
      Arrays.sort(errors);
      double median = n % 2 == 1 ? errors[n / 2] : (errors[n / 2 - 1] + errors[n / 2]) / 2;
      return new Largest(engine, predictor, n, measured[order[n - 1]] / 1000.0, median);
    }
  }
}
