package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;

/**
 * KV headroom: {@code 1 - share of the KV cache held once this request is admitted}, where the
 * share is the blocks in use at the engine's last visible step plus the blocks of every request
 * the router sent there since (its own ledger, so a burst does not herd onto an engine whose
 * telemetry has not moved) plus the request's own (PRISM's forecaster, {@link Forecasts#kvShare}).
 *
 * <p>Why: an engine whose scheduler admits against a KV watermark and triages what cannot make its
 * TTFT (LENS) turns away work once its cache is near the watermark, however fast it computes. The
 * TTFT forecast is a mean and ranks the fastest engine first until it is predicted infeasible;
 * this term spreads the KV demand before that, where the slower engines still have room.
 */
public final class KvHeadroomScorer extends ForecastScorer {

  public static final String TYPE = "kv-headroom";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();


  public KvHeadroomScorer(PluginContext context) {
    super(TYPE, context);
  }

  @Override
  void score(Forecasts f, RoutingRequest request, Candidates c, double[] scores) {
    for (int k = 0; k < c.size(); k++) {
      double share = f.kvShare[c.engineAt(k)];
      scores[k] = Double.isNaN(share) ? 0 : Math.max(0, Math.min(1, 1 - share));
    }
  }
}
