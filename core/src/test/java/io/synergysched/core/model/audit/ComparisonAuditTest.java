package io.synergysched.core.model.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.SyntheticSteps;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three predictors on the same synthetic telemetry, as the audit command will run them. */
class ComparisonAuditTest {

  @Test
  void shouldBeatBothBaselinesWhenAuditedOnTheSameTelemetry() {
    StepLatencyModelConfig config = StepLatencyModelConfig.defaults();
    PrequentialEvaluator evaluator =
        new PrequentialEvaluator(StepLatencyPredictorRegistry.standard(config, engine -> Optional.empty()), 100);
    for (String load : new String[] {"LOW", "MEDIUM", "HIGH"}) {
      evaluator.acceptAll(SyntheticSteps.run("engine-" + load.toLowerCase(), 42, load, 0.03, 6000));
    }
    for (AccuracyRow row : evaluator.rows()) {
      if (!row.phase().equals(AccuracyRow.ALL)) {
        System.out.printf("%-14s %-18s %-7s steps %5d  R2 %8.4f  MAPE %7.4f  MAE %7.3f ms%n",
            row.engine(), row.predictor(), row.phase(), row.steps(), row.r2(), row.mape(), row.maeMs());
      }
    }
    for (String load : new String[] {"low", "medium", "high"}) {
      AccuracyRow synergy = evaluator.row("engine-" + load, SynergyStepPredictor.NAME, AccuracyRow.STEADY);
      assertThat(synergy.r2()).isGreaterThanOrEqualTo(0.98);
      assertThat(synergy.mape()).isLessThanOrEqualTo(0.05);
      for (String baseline : new String[] {LlumnixQuadraticPredictor.NAME, LlmdLinearPredictor.NAME}) {
        AccuracyRow other = evaluator.row("engine-" + load, baseline, AccuracyRow.STEADY);
        assertThat(synergy.mape()).as("%s vs %s", load, baseline).isLessThan(other.mape());
      }
    }
  }
}
