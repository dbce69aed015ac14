package io.synergysched.core.routing.baseline;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.model.predict.EngineLoad;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import io.synergysched.core.model.predict.PendingPrefill;
import io.synergysched.core.routing.CandidateFilter;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Llumnix-style TTFT feasibility: the TTFT of the request on each engine is predicted from an
 * offline latency profile of the engine's class (the class prior, fitted offline and never updated
 * online, standing for Llumnix's interpolated profiling tables) and the polled load (waiting
 * requests, each assumed to carry the mean prompt the router has seen, and running decodes); an
 * engine whose prediction exceeds the request's TTFT SLO is removed. Without a profile for a class
 * the engine is kept.
 */
public final class LlumnixTtftFilter implements CandidateFilter {

  public static final String TYPE = "llumnix-ttft-feasibility";

  private static final Setting<Integer> TOKEN_BUDGET = Setting.integer("token-budget", 8192, 1, 1 << 20,
      "step token budget the TTFT prediction assumes on every engine (vLLM's max_num_batched_tokens)");
  public static final Settings PARAMETERS = Settings.of(TOKEN_BUDGET, PluginParameters.DEFAULT_TTFT_SLO_MS);

  private final int tokenBudget;
  private final double defaultTtftMs;
  private final Map<String, EnginePerformancePredictor> byClass = new HashMap<>();
  private Function<String, StepLatencyPrior> priors = c -> null;
  private double meanPrompt = 512;
  private long routed;
  private boolean[] keep = new boolean[16];

  public LlumnixTtftFilter(PluginContext context) {
    this.tokenBudget = context.get(TOKEN_BUDGET);
    this.defaultTtftMs = context.get(PluginParameters.DEFAULT_TTFT_SLO_MS);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void useEngineClassPriors(Function<String, StepLatencyPrior> priors) {
    this.priors = priors;
  }

  @Override
  public void filter(RoutingRequest request, List<? extends EngineView> engines, Candidates c) {
    int m = c.size();
    if (keep.length < m) {
      keep = new boolean[Math.max(m, keep.length * 2)];
    }
    double slo = Double.isNaN(request.sloTtftMs()) ? defaultTtftMs : request.sloTtftMs();
    for (int k = 0; k < m; k++) {
      EngineView e = engines.get(c.engineAt(k));
      EnginePerformancePredictor p = predictor(e);
      if (p == null) {
        keep[k] = true;
        continue;
      }
      int waiting = Math.min(e.waiting(), 512);
      List<PendingPrefill> queue = new ArrayList<>(waiting);
      int mean = (int) Math.max(1, Math.round(meanPrompt));
      for (int w = 0; w < waiting; w++) {
        queue.add(new PendingPrefill(mean, 0));
      }
      EngineLoad load = new EngineLoad(queue, e.running(), (long) e.running() * mean, tokenBudget, 0, 0);
      double ttftMs = p.admit(load, request.promptTokens(), 0, 1).ttftUs() / 1000.0;
      keep[k] = ttftMs <= slo;
    }
    c.retain(keep);
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine != Router.SHED) {
      routed++;
      meanPrompt += (request.promptTokens() - meanPrompt) / Math.min(routed, 1000);
    }
  }

  private EnginePerformancePredictor predictor(EngineView e) {
    String key = StepLatencyPrior.classKey(e.gpu(), e.model(), e.tensorParallel());
    return byClass.computeIfAbsent(key, k -> {
      StepLatencyPrior prior = priors.apply(k);
      return prior == null ? null : EnginePerformancePredictor.of(prior.state(), StepLatencyModelConfig.defaults());
    });
  }
}
