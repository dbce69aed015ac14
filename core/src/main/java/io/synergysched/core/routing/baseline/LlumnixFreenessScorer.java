package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * Llumnix's dispatch load: KV blocks in use plus the blocks the waiting queue will demand, as a
 * share of the cache ("freeness" is its complement); polled telemetry, waiting requests assumed to
 * carry the mean prompt the router has seen. Score = 1 - load, clipped to [0, 1].
 */
public final class LlumnixFreenessScorer implements CandidateScorer {

  public static final String TYPE = "llumnix-freeness";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();
  private double meanPrompt = 512;
  private long routed;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    double blocksPerWaiting = Math.ceil(meanPrompt / 16.0);
    for (int k = 0; k < c.size(); k++) {
      EngineView e = engines.get(c.engineAt(k));
      double demand = e.kvBlocksUsed() + e.waiting() * blocksPerWaiting;
      double load = e.kvBlocksTotal() > 0 ? demand / e.kvBlocksTotal() : 1;
      scores[k] = Math.max(0, Math.min(1, 1 - load / 2));
    }
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine != Router.SHED) {
      routed++;
      meanPrompt += (request.promptTokens() - meanPrompt) / Math.min(routed, 1000);
    }
  }
}
