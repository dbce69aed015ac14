package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateFilter;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * The TTFT filter of Llumnix's slo policy ({@code newSloDispatchFullMode} in
 * {@code pkg/scheduler/policy/scheduling_policy_registry.go}): an instance stays only when its
 * {@code predicted_ttft} (see {@link LlumnixInstanceStatus}) is below
 * {@code ttft-slo-dispatch-threshold} (0.85) times the request's TTFT target. Llumnix marks this
 * filter {@code notSkipWhenFallback}: when no instance passes, the set is left empty and no instance
 * is chosen, which the profile's admission turns into hold-then-reject ({@code llumnix-slo-hold}) or,
 * under {@code none}, into skipping the filter. An instance of a class without a profile is kept.
 */
public final class LlumnixTtftFilter implements CandidateFilter {

  public static final String TYPE = "llumnix-ttft-feasibility";

  private static final Setting<Double> THRESHOLD = Setting.number("ttft-slo-dispatch-threshold", 0.85, 0.01, 10,
      "an instance passes when its predicted TTFT is below this times the TTFT target"
          + " (Llumnix's --ttft-slo-dispatch-threshold)");
  public static final Settings PARAMETERS = Settings.of(THRESHOLD, PluginParameters.DEFAULT_TTFT_SLO_MS);

  private final double threshold;
  private final double defaultTtftMs;
  private final LlumnixInstanceStatus status;
  private boolean[] keep = new boolean[16];

  public LlumnixTtftFilter(PluginContext context) {
    this.threshold = context.get(THRESHOLD);
    this.defaultTtftMs = context.get(PluginParameters.DEFAULT_TTFT_SLO_MS);
    this.status = context.shared(LlumnixInstanceStatus.class, LlumnixInstanceStatus.TYPE);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The predicted TTFT below which an instance passes for {@code request}, ms. */
  public double thresholdMs(RoutingRequest request) {
    return threshold * (Double.isNaN(request.sloTtftMs()) ? defaultTtftMs : request.sloTtftMs());
  }

  @Override
  public void filter(RoutingRequest request, List<? extends EngineView> engines, Candidates c) {
    int m = c.size();
    if (keep.length < m) {
      keep = new boolean[Math.max(m, keep.length * 2)];
    }
    double limit = thresholdMs(request);
    for (int k = 0; k < m; k++) {
      int engine = c.engineAt(k);
      double ttft = status.predictedTtftMs(request, engines.get(engine), engine);
      keep[k] = Double.isNaN(ttft) || ttft < limit;
    }
    c.retain(keep);
  }
}
