package io.synergysched.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import org.junit.jupiter.api.Test;

class OfflinePriorCatalogTest {

  private static final ProfiledStepLatency A100 = ProfiledStepLatency.load(
      ProfileDirectory.shared(), EngineSpec.parse("a100:llama-2-7b:tp1"), ProfileOptions.DEFAULT);
  private static final String CLASS_KEY = StepLatencyPrior.classKey("a100", "llama-2-7b", 1);

  /** Mean of prior / profile over a fixed set of steps: decode batches and prefill chunks. */
  private static double meanRatio(StepLatencyPrior prior) {
    StepLatencyModel model = StepLatencyModel.fromPrior(prior, StepLatencyModelConfig.defaults());
    double sum = 0;
    int n = 0;
    for (int chunk : new int[] {0, 512, 2048, 6144}) {
      for (int decodes : new int[] {1, 32, 128}) {
        long context = 1024L * decodes;
        double truth = A100.stepMs(chunk, chunk > 0 ? 1 : 0, (long) chunk * chunk, 0, decodes, context);
        double predicted = model.predictUs(chunk, chunk > 0 ? 1 : 0, (long) chunk * chunk, 0, 0,
            decodes, context) / 1000.0;
        sum += predicted / truth;
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void shouldFitThePriorToAPerturbedProfileNotToTheEnginesOwnFunction() {
    double ratio = meanRatio(OfflinePriorCatalog.fit(CLASS_KEY, A100));
    // off by the class's bias (in [0.92, 1.08]) and tilt, but still a usable prior
    assertThat(Math.abs(ratio - 1)).isGreaterThan(0.01);
    assertThat(ratio).isBetween(0.85, 1.15);
  }

  @Test
  void shouldFitTheSamePriorEveryTimeForTheSameClass() {
    assertThat(meanRatio(OfflinePriorCatalog.fit(CLASS_KEY, A100)))
        .isEqualTo(meanRatio(OfflinePriorCatalog.fit(CLASS_KEY, A100)));
  }
}
