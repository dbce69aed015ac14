package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidatePicker;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * Cycles through the engines regardless of state (vLLM production-stack's {@code roundrobin}):
 * the first candidate at or after the cursor; ignores scores.
 */
public final class RoundRobinPicker implements CandidatePicker {

  public static final String TYPE = "round-robin";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();
  private int next;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    int start = next % engines.size();
    int chosen = c.engineAt(0);
    for (int k = 0; k < c.size(); k++) {
      if (c.engineAt(k) >= start) {
        chosen = c.engineAt(k);
        break;
      }
    }
    next = chosen + 1;
    return chosen;
  }
}
