package io.synergysched.core.routing.baseline;

import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingPlugin;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Llumnix's view of its instances (llumnix-project/llumnix, full mode): the status each instance
 * reports, plus the scheduler's <em>instance status local account</em> of requests it dispatched
 * that no report shows yet ({@code pkg/cms/instance_status_local_account.go}), and the two metrics
 * its policies rank by ({@code pkg/scheduler/policy/metrics.go}): {@code all_prefills_tokens_num}
 * (load-balance) and {@code predicted_ttft} (slo). One per router, shared by the Llumnix plugins.
 *
 * <p><b>Reported status.</b> Llumnix's llumlet reports the uncomputed prompt tokens of waiting and
 * running prefills; our engines report steps and request events, after the telemetry delay, and
 * this class rebuilds the same number from them: a request queued adds its prompt, a preempted one
 * its prompt and output so far (recomputed), a step subtracts the prefill tokens it ran, a first
 * token the prompt tokens its prefix cache served; a step with no waiting request and no prefill
 * chunk resets it to zero. The decode batch (size and summed context) is that of the last visible
 * step, the token budget its {@code tokenBudget}, the status time its end.
 *
 * <p><b>Local account.</b> Each dispatch adds the prompt to the engine's in-flight prefill tokens and
 * in-flight decode tokens and one to its in-flight requests (Llumnix's neutral infer type increments
 * both stages); the entry is removed when the engine's report shows the request (its queued event
 * becomes visible: Llumnix's {@code FoundInCMS}), when the gateway releases it (a first token,
 * completion or rejection on the response path), or after {@code local-account-staleness-ms}
 * without either.
 *
 * <p><b>Predicted TTFT</b> ({@code PredictedTtft.Calculate} and
 * {@code predictTtftLatencyByChunkPrefill}): the prefill tokens ahead plus the request's, cut into
 * chunks of the token budget, each chunk costing the profiled TTFT of a lone prefill of that many
 * tokens plus one profiled decode step of the current batch (tokens per request at least 8),
 * minus the time since the status was taken; if that time already exceeds the TTFT of the work
 * the status shows, only the in-flight account and the request are costed. The profiles are the
 * engine class's cold-start prior, frozen (Llumnix interpolates offline profiling tables and never
 * updates them); without a prior for the class the prediction is NaN.
 *
 * <p>Single-threaded, like the router that owns it.
 */
public final class LlumnixInstanceStatus implements RoutingPlugin {

  public static final String TYPE = "llumnix-instance-status";

  private static final Setting<Integer> TOKEN_BUDGET = Setting.integer("token-budget", 8192, 1, 1 << 20,
      "step token budget (max_num_batched_tokens) assumed for an engine until its step reports show one");
  private static final Setting<Double> LOCAL_ACCOUNT_STALENESS_MS = Setting.number("local-account-staleness-ms",
      10_000, 1, 1e9, "a dispatched request no report has shown after this long leaves the local account, ms"
          + " (Llumnix's request-local-account-staleness, 10 s)");
  public static final Settings PARAMETERS = Settings.of(TOKEN_BUDGET, LOCAL_ACCOUNT_STALENESS_MS);

  /** Llumnix's floor on the decode tokens per request it asks the TPOT profile about. */
  private static final double MIN_TOKENS_PER_DECODE = 8.0;

  private record Account(int engine, int tokens, double dispatchMs) {}

  private final int defaultTokenBudget;
  private final double stalenessMs;
  private final Map<String, EnginePerformancePredictor> byClass = new HashMap<>();
  private Function<String, StepLatencyPrior> priors = c -> null;
  private final Map<Long, Account> accounts = new LinkedHashMap<>();

  private long[] uncomputed = new long[0];
  private int[] decodeSeqs = new int[0];
  private long[] decodeContext = new long[0];
  private int[] tokenBudget = new int[0];
  private double[] statusTimeMs = new double[0];
  private int[] inflightRequests = new int[0];
  private long[] inflightTokens = new long[0];

  public LlumnixInstanceStatus(PluginContext context) {
    this.defaultTokenBudget = context.get(TOKEN_BUDGET);
    this.stalenessMs = context.get(LOCAL_ACCOUNT_STALENESS_MS);
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

  /**
   * Llumnix's {@code all_prefills_tokens_num} of {@code engine}: uncomputed prompt tokens of the
   * waiting and running prefills the engine reported, plus the prompts dispatched to it that no
   * report shows yet; tokens, &gt;= 0.
   */
  public long allPrefillTokens(int engine) {
    ensure(engine + 1);
    return reportedUncomputed(engine) + inflightTokens[engine];
  }

  /** Requests dispatched to {@code engine} that no report shows yet (the local account), &gt;= 0. */
  public int inflightRequests(int engine) {
    ensure(engine + 1);
    return inflightRequests[engine];
  }

  /**
   * Llumnix's {@code predicted_ttft} of {@code request} on {@code engine}, ms, as of
   * {@code request.arrivalTimeMs()} (the decision time: a request routed again later must carry
   * the time of that decision); NaN when the engine's class has no profile (prior). May be negative right after a status
   * whose queue should have drained since.
   */
  public double predictedTtftMs(RoutingRequest request, EngineView engine, int engineIndex) {
    ensure(engineIndex + 1);
    EnginePerformancePredictor profile = profile(engine);
    if (profile == null) {
      return Double.NaN;
    }
    int budget = tokenBudget[engineIndex] > 0 ? tokenBudget[engineIndex] : defaultTokenBudget;
    int batch = decodeSeqs[engineIndex] + inflightRequests[engineIndex];
    long batchTokens = decodeContext[engineIndex] + inflightTokens[engineIndex];
    long reported = reportedUncomputed(engineIndex);
    double existingMs = chunkedPrefillMs(profile, reported, batch, batchTokens, budget);
    double elapsedMs = statusTimeMs[engineIndex] < 0 ? 0 : request.arrivalTimeMs() - statusTimeMs[engineIndex];
    if (elapsedMs > existingMs) {
      return chunkedPrefillMs(profile, inflightTokens[engineIndex] + request.promptTokens(), batch, batchTokens, budget);
    }
    return chunkedPrefillMs(profile, reported + inflightTokens[engineIndex] + request.promptTokens(), batch,
        batchTokens, budget) - elapsedMs;
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine == Router.SHED) {
      return;
    }
    ensure(engine + 1);
    release(request.requestId());
    accounts.put(request.requestId(), new Account(engine, request.promptTokens(), request.arrivalTimeMs()));
    inflightRequests[engine]++;
    inflightTokens[engine] += request.promptTokens();
    expireAccounts(request.arrivalTimeMs());
  }

  @Override
  public void onStepVisible(int engine, StepObservation step) {
    ensure(engine + 1);
    uncomputed[engine] -= step.prefillTokens();
    if (step.waiting() == 0 && step.prefillChunks() == 0) {
      uncomputed[engine] = 0;
    }
    decodeSeqs[engine] = step.decodeSeqs();
    decodeContext[engine] = step.decodeContextSum();
    if (step.tokenBudget() > 0) {
      tokenBudget[engine] = step.tokenBudget();
    }
    double endMs = step.startTimeMs() + step.durationUs() / 1000.0;
    statusTimeMs[engine] = endMs;
    expireAccounts(endMs);
  }

  @Override
  public void onRequestEventVisible(int engine, RequestObservation event) {
    ensure(engine + 1);
    switch (event.type()) {
      case QUEUED -> {
        uncomputed[engine] += event.promptTokens();
        release(event.requestId());
      }
      case PREEMPTED -> uncomputed[engine] += (long) event.promptTokens() + event.generatedTokens();
      case FIRST_TOKEN -> uncomputed[engine] -= event.cachedTokens();
      case REJECTED -> release(event.requestId());
      default -> { }
    }
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    RequestPhase type = event.type();
    if (type == RequestPhase.FIRST_TOKEN || type == RequestPhase.FINISHED || type == RequestPhase.REJECTED) {
      release(event.requestId());
    }
  }

  private long reportedUncomputed(int engine) {
    return Math.max(0, uncomputed[engine]);
  }

  private double chunkedPrefillMs(EnginePerformancePredictor profile, long tokens, int batch, long batchTokens,
      int budget) {
    double decodeStepMs = decodeStepMs(profile, batch, batchTokens);
    double total = 0;
    long remaining = tokens;
    while (remaining > 0) {
      long chunk = Math.min(remaining, budget);
      remaining -= chunk;
      total += profile.predictStepUs(chunk, 1, (double) chunk * chunk, 0, 0, 0, 0) / 1000.0 + decodeStepMs;
    }
    return total;
  }

  private static double decodeStepMs(EnginePerformancePredictor profile, int batch, long batchTokens) {
    if (batch <= 0 || batchTokens <= 0) {
      return 0;
    }
    double perRequest = Math.max(MIN_TOKENS_PER_DECODE, (double) batchTokens / batch);
    return profile.predictStepUs(0, 0, 0, 0, 0, batch, batch * perRequest) / 1000.0;
  }

  private void release(long requestId) {
    Account a = accounts.remove(requestId);
    if (a != null) {
      inflightRequests[a.engine()]--;
      inflightTokens[a.engine()] -= a.tokens();
    }
  }

  /** Accounts are kept in dispatch order, so the stale ones are at the head. */
  private void expireAccounts(double nowMs) {
    Iterator<Account> it = accounts.values().iterator();
    while (it.hasNext()) {
      Account a = it.next();
      if (nowMs - a.dispatchMs() < stalenessMs) {
        return;
      }
      it.remove();
      inflightRequests[a.engine()]--;
      inflightTokens[a.engine()] -= a.tokens();
    }
  }

  private EnginePerformancePredictor profile(EngineView e) {
    String key = StepLatencyPrior.classKey(e.gpu(), e.model(), e.tensorParallel());
    return byClass.computeIfAbsent(key, k -> {
      StepLatencyPrior prior = priors.apply(k);
      return prior == null ? null : EnginePerformancePredictor.of(prior.state(), StepLatencyModelConfig.defaults());
    });
  }

  private void ensure(int n) {
    if (uncomputed.length >= n) {
      return;
    }
    int size = Math.max(n, uncomputed.length * 2);
    int old = uncomputed.length;
    uncomputed = Arrays.copyOf(uncomputed, size);
    decodeSeqs = Arrays.copyOf(decodeSeqs, size);
    decodeContext = Arrays.copyOf(decodeContext, size);
    tokenBudget = Arrays.copyOf(tokenBudget, size);
    statusTimeMs = Arrays.copyOf(statusTimeMs, size);
    Arrays.fill(statusTimeMs, old, size, -1);
    inflightRequests = Arrays.copyOf(inflightRequests, size);
    inflightTokens = Arrays.copyOf(inflightTokens, size);
  }
}
