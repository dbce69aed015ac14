package io.synergysched.core.routing.admission;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionRule;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;
import java.util.Locale;

/**
 * Sheds when the candidates are saturated by their polled metrics, the load shedding that gateways
 * ship without a latency model. An engine is saturated when more than {@code max-waiting} requests
 * wait there or more than {@code max-kv-utilization} of its KV cache is in use, in the last
 * telemetry the router has seen.
 *
 * <ul>
 *   <li>{@code pool = every}: shed when every candidate is saturated. The Gateway API Inference
 *       Extension's saturation detector (no pod with waiting queue &lt;= 5 and KV cache &lt;= 80%:
 *       sheddable requests are rejected, HTTP 429), and Dynamo's frontend (HTTP 503 when every
 *       worker is over its busy thresholds).
 *   <li>{@code pool = mean}: shed when the mean over the candidates of
 *       {@code max(waiting / max-waiting, kv use / max-kv-utilization)} is at least 1, llm-d's
 *       current utilization detector behind its legacy admission controller.
 * </ul>
 *
 * Sources and the parts left out (metric staleness, priorities) are in docs/routing.md.
 */
public final class QueueThresholdRule implements AdmissionRule {

  public static final String TYPE = "queue-threshold";

  /** How the per-engine saturation becomes the pool's. */
  public enum Pool { EVERY, MEAN }

  private static final Setting<Integer> MAX_WAITING = Setting.integer("max-waiting", 5, 1, 1 << 20,
      "an engine with more waiting requests than this is saturated (llm-d's queueDepthThreshold, default 5)");
  private static final Setting<Double> MAX_KV = Setting.number("max-kv-utilization", 0.8, 0.01, 10,
      "an engine using more than this share of its KV cache is saturated (llm-d's kvCacheUtilThreshold,"
          + " default 0.8); above 1 KV use never saturates");
  private static final Setting<Pool> POOL = Setting.choice("pool", Pool.class, Pool.EVERY,
      "every: shed when every candidate is saturated; mean: when the mean of max(waiting / max-waiting,"
          + " kv use / max-kv-utilization) over the candidates is at least 1");
  public static final Settings PARAMETERS = Settings.of(MAX_WAITING, MAX_KV, POOL);

  private final int maxWaiting;
  private final double maxKv;
  private final Pool pool;
  private final AdmissionDecision saturated;

  public QueueThresholdRule(PluginContext context) {
    this.maxWaiting = context.get(MAX_WAITING);
    this.maxKv = context.get(MAX_KV);
    this.pool = context.get(POOL);
    this.saturated = AdmissionDecision.shed(String.format(Locale.ROOT,
        pool == Pool.EVERY
            ? "%s: every candidate has more than %d waiting or more than %s of its KV cache in use"
            : "%s: candidates' mean saturation (waiting / %d, KV use / %s) is at least 1",
        TYPE, maxWaiting, maxKv));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public AdmissionDecision admit(RoutingRequest request, List<? extends EngineView> engines,
      Candidates candidates) {
    int m = candidates.size();
    if (pool == Pool.EVERY) {
      for (int k = 0; k < m; k++) {
        EngineView e = engines.get(candidates.engineAt(k));
        if (e.waiting() <= maxWaiting && kvShare(e) <= maxKv) {
          return AdmissionDecision.ADMIT;
        }
      }
      return saturated;
    }
    double sum = 0;
    for (int k = 0; k < m; k++) {
      EngineView e = engines.get(candidates.engineAt(k));
      sum += Math.max((double) e.waiting() / maxWaiting, kvShare(e) / maxKv);
    }
    return sum / m >= 1 ? saturated : AdmissionDecision.ADMIT;
  }

  /** Share of {@code e}'s KV cache in use at its last visible report, [0, 1] (0 with no capacity known). */
  static double kvShare(EngineView e) {
    return e.kvBlocksTotal() > 0 ? (double) e.kvBlocksUsed() / e.kvBlocksTotal() : 0;
  }
}
