package io.synergysched.core.routing.admission;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.model.predict.AdmissionForecast;
import io.synergysched.core.model.predict.EngineLoad;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import io.synergysched.core.model.predict.PendingPrefill;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.LatencyPredictor;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link LatencyPredictor} a profile gets when it names no other: the engine class's offline
 * profile (its cold-start prior, never updated) run on the prefill tokens this router sent to the
 * engine that have not produced a first token yet (its own account, never stale) behind the polled
 * running decodes. A fixed model of the kind an operator profiles once, not a learned one: llm-d's
 * online predictor is a separate plugin that replaces it. No prediction (NaN) for an engine whose
 * class has no prior.
 */
public final class ProfiledLatencyPredictor implements LatencyPredictor {

  public static final String TYPE = "profiled-latency-predictor";

  private static final Setting<Integer> TOKEN_BUDGET = Setting.integer("token-budget", 8192, 1, 1 << 20,
      "step token budget assumed on every engine (vLLM's max_num_batched_tokens)");
  private static final Setting<Integer> OUTPUT_TOKENS = Setting.integer("expected-output-tokens", 256, 1, 1 << 20,
      "output length the TPOT prediction assumes, tokens");
  public static final Settings PARAMETERS = Settings.of(TOKEN_BUDGET, OUTPUT_TOKENS);

  private final int tokenBudget;
  private final int outputTokens;
  private final Map<String, EnginePerformancePredictor> byClass = new HashMap<>();
  private Function<String, StepLatencyPrior> priors = c -> null;
  /** Prompt tokens routed to each engine and not yet past their first token. */
  private long[] pendingTokens = new long[0];
  /** Requests routed and not yet past their first token: {engine, prompt tokens}. */
  private final Map<Long, int[]> pending = new HashMap<>();
  /** Request and decision time the cached forecasts are for. */
  private long forRequest = Long.MIN_VALUE;
  private double forDecisionMs = Double.NaN;
  private AdmissionForecast[] forecasts = new AdmissionForecast[0];

  public ProfiledLatencyPredictor(PluginContext context) {
    this.tokenBudget = context.get(TOKEN_BUDGET);
    this.outputTokens = context.get(OUTPUT_TOKENS);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean observesEngines() {
    return true;
  }

  @Override
  public void useEngineClassPriors(Function<String, StepLatencyPrior> priors) {
    this.priors = priors;
  }

  @Override
  public double ttftMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex) {
    AdmissionForecast f = forecast(request, engines, engineIndex);
    return f == null ? Double.NaN : f.ttftUs() / 1000.0;
  }

  @Override
  public double tpotMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex) {
    AdmissionForecast f = forecast(request, engines, engineIndex);
    return f == null ? Double.NaN : f.tpotUs() / 1000.0;
  }

  private AdmissionForecast forecast(RoutingRequest request, List<? extends EngineView> engines, int engine) {
    if (forRequest != request.requestId() || forDecisionMs != request.arrivalTimeMs()) {
      forRequest = request.requestId();
      forDecisionMs = request.arrivalTimeMs();
      if (forecasts.length < engines.size()) {
        forecasts = new AdmissionForecast[engines.size()];
      }
      Arrays.fill(forecasts, null);
    }
    if (forecasts[engine] == null) {
      EngineView e = engines.get(engine);
      EnginePerformancePredictor model = model(e);
      if (model == null) {
        return null;
      }
      long queued = engine < pendingTokens.length ? pendingTokens[engine] : 0;
      List<PendingPrefill> queue = queued > 0
          ? List.of(new PendingPrefill((int) Math.min(queued, Integer.MAX_VALUE), 0)) : List.of();
      // The polled decodes' context is unknown: each is taken to hold a prompt like this one and
      // half the expected output.
      long context = (long) e.running() * (request.promptTokens() + outputTokens / 2);
      forecasts[engine] = model.admit(new EngineLoad(queue, e.running(), context, tokenBudget, 0, 0),
          request.promptTokens(), 0, outputTokens);
    }
    return forecasts[engine];
  }

  private EnginePerformancePredictor model(EngineView e) {
    String key = StepLatencyPrior.classKey(e.gpu(), e.model(), e.tensorParallel());
    return byClass.computeIfAbsent(key, k -> {
      StepLatencyPrior prior = priors.apply(k);
      return prior == null ? null : EnginePerformancePredictor.of(prior.state(), StepLatencyModelConfig.defaults());
    });
  }

  @Override
  public void onRouted(RoutingRequest request, int engineIndex) {
    if (engineIndex < 0) {
      return;
    }
    if (pendingTokens.length <= engineIndex) {
      pendingTokens = Arrays.copyOf(pendingTokens, engineIndex + 1);
    }
    int[] old = pending.put(request.requestId(), new int[] {engineIndex, request.promptTokens()});
    if (old != null) {
      pendingTokens[old[0]] -= old[1];
    }
    pendingTokens[engineIndex] += request.promptTokens();
  }

  @Override
  public void onResponse(int engineIndex, RequestObservation event) {
    RequestPhase phase = event.type();
    if (phase == RequestPhase.FIRST_TOKEN || phase == RequestPhase.FINISHED || phase == RequestPhase.REJECTED) {
      int[] p = pending.remove(event.requestId());
      if (p != null) {
        pendingTokens[p[0]] -= p[1];
      }
    }
  }
}
