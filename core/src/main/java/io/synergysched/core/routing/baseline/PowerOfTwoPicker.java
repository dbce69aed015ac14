package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidatePicker;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Power of two choices (Mitzenmacher; Envoy's least-request with {@code choice_count = 2}, SGLang's
 * and vLLM router's {@code power_of_two}): two distinct candidates drawn at random, the one with the
 * higher total score wins (the first on a tie). Seeded ({@code seed}, default 1).
 */
public final class PowerOfTwoPicker implements CandidatePicker {

  public static final String TYPE = "power-of-two";

  public static final Settings PARAMETERS = Settings.of(PluginParameters.SEED);
  private final SplittableRandom random;

  public PowerOfTwoPicker(PluginContext context) {
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    int m = c.size();
    if (m == 1) {
      return c.engineAt(0);
    }
    int a = random.nextInt(m);
    int b = random.nextInt(m - 1);
    if (b >= a) {
      b++;
    }
    return c.engineAt(totals[b] > totals[a] ? b : a);
  }
}
