package io.synergysched.core.model;

import io.synergysched.core.telemetry.StepObservation;
import java.util.List;
import java.util.Objects;

/**
 * Fits a cold-start {@link StepLatencyPrior} offline from the steps of engines of one class (the
 * simulator records them), and chooses the GEMM knee from the data.
 *
 * <p>For every candidate knee: a first pass of the online model without forgetting gives an
 * estimate; a second pass restarted from that estimate re-learns every step with robust weights
 * computed from a good model (one reweighting step of IRLS); the knee whose structural part (without
 * the bin correction) has the smallest relative squared error wins. Choosing the knee on the
 * structural part keeps the correction a small residual and the hinge where the roofline bends.
 *
 * <p>Stateless and thread-safe; allocation is proportional to the candidate knees, not to the steps.
 */
public final class StepLatencyPriorFitter {

  /** Knees tried by default, tokens: where the Vidur profiles bend lies between 64 and 384. */
  public static final double[] DEFAULT_KNEES = {32, 48, 64, 96, 128, 160, 192, 256, 320, 384, 512};

  private StepLatencyPriorFitter() {}

  /**
   * Fits a prior for {@code engineClass} from {@code steps} (in time order per engine; steps of
   * several engines of the class may be concatenated). {@code pseudoObservations} (&gt; 0, for
   * example 50) is how many steps the prior will count as for a new engine.
   *
   * @throws IllegalArgumentException if fewer than {@code config.warmSamples()} plausible steps
   */
  public static StepLatencyPrior fit(
      String engineClass, List<StepObservation> steps, StepLatencyModelConfig config, double pseudoObservations) {
    return fit(engineClass, steps, config, pseudoObservations, DEFAULT_KNEES);
  }

  /** As {@link #fit(String, List, StepLatencyModelConfig, double)} with explicit candidate knees. */
  public static StepLatencyPrior fit(
      String engineClass,
      List<StepObservation> steps,
      StepLatencyModelConfig config,
      double pseudoObservations,
      double[] kneeCandidates) {
    Objects.requireNonNull(steps, "steps");
    long plausible = steps.stream().filter(StepFeatures::isPlausible).count();
    if (plausible < config.warmSamples()) {
      throw new IllegalArgumentException(
          "a prior needs at least " + config.warmSamples() + " plausible steps, got " + plausible);
    }
    if (kneeCandidates.length == 0) {
      throw new IllegalArgumentException("kneeCandidates must not be empty");
    }
    StepLatencyModelConfig offline = config.withoutForgetting();
    StepLatencyModel best = null;
    double bestError = Double.POSITIVE_INFINITY;
    for (double knee : kneeCandidates) {
      StepLatencyModel model = fitWithKnee(steps, offline.withKneeTokens(knee));
      double error = structuralRelativeError(model, steps);
      if (error < bestError) {
        bestError = error;
        best = model;
      }
    }
    double sumSquares = 0.0;
    double sumAbsRelative = 0.0;
    double sum = 0.0;
    double sumY2 = 0.0;
    long n = 0;
    for (StepObservation step : steps) {
      if (!StepFeatures.isPlausible(step)) {
        continue;
      }
      double y = step.durationUs() / 1000.0;
      double error = y - best.predictUs(step) / 1000.0;
      sumSquares += error * error;
      sumAbsRelative += Math.abs(error) / y;
      sum += y;
      sumY2 += y * y;
      n++;
    }
    double total = sumY2 - sum * sum / n;
    double r2 = total > 0 ? 1.0 - sumSquares / total : Double.NaN;
    StepLatencyModelState state = best.priorState(engineClass, pseudoObservations);
    return new StepLatencyPrior(engineClass, state, pseudoObservations, n, r2, sumAbsRelative / n);
  }

  private static StepLatencyModel fitWithKnee(List<StepObservation> steps, StepLatencyModelConfig config) {
    StepLatencyModel first = StepLatencyModel.cold(config);
    for (StepObservation step : steps) {
      first.learn(step);
    }
    StepLatencyModel second = first.restartedFromEstimate(1.0);
    for (StepObservation step : steps) {
      second.learn(step);
    }
    return second;
  }

  private static double structuralRelativeError(StepLatencyModel model, List<StepObservation> steps) {
    double sum = 0.0;
    for (StepObservation step : steps) {
      if (StepFeatures.isPlausible(step)) {
        double y = step.durationUs() / 1000.0;
        double relative = (y - model.structuralMs(step)) / y;
        // Winsorized so that stragglers in the offline data cannot choose the knee.
        sum += Math.min(relative * relative, 0.25);
      }
    }
    return sum;
  }
}
