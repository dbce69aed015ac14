package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;
import java.util.List;

/** llm-d's {@code kv-cache-utilization-scorer}: {@code 1 - KV-cache usage}, from polled telemetry. */
public final class KvCacheUtilizationScorer implements CandidateScorer {

  public static final String TYPE = "kv-cache-utilization";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    for (int k = 0; k < c.size(); k++) {
      EngineView e = engines.get(c.engineAt(k));
      double usage = e.kvBlocksTotal() > 0 ? (double) e.kvBlocksUsed() / e.kvBlocksTotal() : 0;
      scores[k] = Math.max(0, Math.min(1, 1 - usage));
    }
  }
}
