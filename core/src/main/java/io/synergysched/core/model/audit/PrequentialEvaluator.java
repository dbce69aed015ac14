package io.synergysched.core.model.audit;

import io.synergysched.core.model.StepFeatures;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Prequential (test-then-train) evaluation of step-latency predictors: each step of an engine is
 * first predicted by every predictor's instance for that engine, scored, and only then learned.
 * An engine's first {@code warmupSteps} scored steps are reported apart, so cold-start behaviour
 * neither hides in nor pollutes the steady-state figures.
 *
 * <p>Feed steps in time order per engine (engines may interleave). Implausible steps (see
 * {@link StepFeatures#isPlausible}) are neither scored nor counted, but are still offered to the
 * predictors' {@code learn}, which must ignore them. Not thread-safe.
 */
public final class PrequentialEvaluator {

  /** The warm-up: the first 100 steps per engine. */
  public static final int DEFAULT_WARMUP_STEPS = 100;

  private final Map<String, Function<String, StepLatencyPredictor>> factories;
  private final int warmupSteps;
  private final Map<String, EngineRun> engines = new TreeMap<>();
  private final ResidualBreakdown breakdown = new ResidualBreakdown();

  /**
   * @param factories predictor name to a factory that makes a fresh predictor for an engine id;
   *     iteration order is the report order
   * @param warmupSteps steps per engine reported as warm-up, &gt;= 0
   */
  public PrequentialEvaluator(Map<String, Function<String, StepLatencyPredictor>> factories, int warmupSteps) {
    if (factories.isEmpty()) {
      throw new IllegalArgumentException("at least one predictor is needed");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, was " + warmupSteps);
    }
    this.factories = new LinkedHashMap<>(factories);
    this.warmupSteps = warmupSteps;
  }

  /** Predicts, scores and learns one step. */
  public void accept(StepObservation step) {
    Objects.requireNonNull(step, "step");
    EngineRun run = engines.computeIfAbsent(step.engineId(), this::newRun);
    boolean scored = StepFeatures.isPlausible(step);
    boolean warmup = run.scoredSteps < warmupSteps;
    for (PredictorRun p : run.predictors) {
      if (scored) {
        double predicted = p.predictor.predictUs(step);
        (warmup ? p.warmup : p.steady).add(step.durationUs(), predicted);
        if (!warmup) {
          breakdown.add(step.engineId(), p.name, step, predicted);
        }
      }
      p.predictor.learn(step);
    }
    if (scored) {
      run.scoredSteps++;
    }
  }

  /** Feeds every step of {@code steps} in order. */
  public void acceptAll(Iterable<StepObservation> steps) {
    for (StepObservation step : steps) {
      accept(step);
    }
  }

  /**
   * Rows per engine, then pooled over engines ({@link AccuracyRow#ALL_ENGINES}), each for warm-up,
   * steady state and all steps, in predictor order. Pooled rows pool the steps (one R^2 over all
   * engines' steps), they do not average per-engine figures.
   */
  public List<AccuracyRow> rows() {
    List<AccuracyRow> rows = new ArrayList<>();
    Map<String, AccuracyAccumulator[]> pooled = new LinkedHashMap<>();
    for (String name : factories.keySet()) {
      pooled.put(name, new AccuracyAccumulator[] {new AccuracyAccumulator(), new AccuracyAccumulator()});
    }
    for (Map.Entry<String, EngineRun> engine : engines.entrySet()) {
      for (PredictorRun p : engine.getValue().predictors) {
        rows.addAll(phaseRows(engine.getKey(), p.name, p.warmup, p.steady));
        pooled.get(p.name)[0].merge(p.warmup);
        pooled.get(p.name)[1].merge(p.steady);
      }
    }
    for (Map.Entry<String, AccuracyAccumulator[]> entry : pooled.entrySet()) {
      rows.addAll(phaseRows(AccuracyRow.ALL_ENGINES, entry.getKey(), entry.getValue()[0], entry.getValue()[1]));
    }
    return rows;
  }

  private static List<AccuracyRow> phaseRows(
      String engine, String predictor, AccuracyAccumulator warmup, AccuracyAccumulator steady) {
    AccuracyAccumulator all = new AccuracyAccumulator();
    all.merge(warmup);
    all.merge(steady);
    return List.of(
        AccuracyRow.of(engine, predictor, AccuracyRow.WARMUP, warmup),
        AccuracyRow.of(engine, predictor, AccuracyRow.STEADY, steady),
        AccuracyRow.of(engine, predictor, AccuracyRow.ALL, all));
  }

  /** The steady state's accuracy split by what the steps were, and on the largest steps. */
  public ResidualBreakdown breakdown() {
    return breakdown;
  }

  /** The row for one engine (or {@link AccuracyRow#ALL_ENGINES}), predictor and phase; null if none. */
  public AccuracyRow row(String engine, String predictor, String phase) {
    for (AccuracyRow row : rows()) {
      if (row.engine().equals(engine) && row.predictor().equals(predictor) && row.phase().equals(phase)) {
        return row;
      }
    }
    return null;
  }

  private EngineRun newRun(String engineId) {
    EngineRun run = new EngineRun();
    for (Map.Entry<String, Function<String, StepLatencyPredictor>> f : factories.entrySet()) {
      run.predictors.add(new PredictorRun(f.getKey(), f.getValue().apply(engineId)));
    }
    return run;
  }

  private static final class EngineRun {
    final List<PredictorRun> predictors = new ArrayList<>();
    long scoredSteps;
  }

  private static final class PredictorRun {
    final String name;
    final StepLatencyPredictor predictor;
    final AccuracyAccumulator warmup = new AccuracyAccumulator();
    final AccuracyAccumulator steady = new AccuracyAccumulator();

    PredictorRun(String name, StepLatencyPredictor predictor) {
      this.name = name;
      this.predictor = predictor;
    }
  }
}
