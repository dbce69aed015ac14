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

/** Uniformly random candidate, seeded ({@code seed}, default 1); ignores scores. */
public final class RandomPicker implements CandidatePicker {

  public static final String TYPE = "random";

  public static final Settings PARAMETERS = Settings.of(PluginParameters.SEED);
  private final SplittableRandom random;

  public RandomPicker(PluginContext context) {
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    return c.engineAt(random.nextInt(c.size()));
  }
}
