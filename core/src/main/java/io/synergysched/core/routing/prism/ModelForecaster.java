package io.synergysched.core.routing.prism;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.RoutedPrefixIndex;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PRISM's forecaster: per engine an online {@link StepLatencyModel} (started from the class prior
 * fitted offline, learning from every step report that reaches the router) and a ledger of the
 * requests the router sent there, updated by the request events that reach it.
 *
 * <p>State of an engine at decision time {@code now}: the ledger gives the prefill work not yet
 * known to have finished (prompt tokens minus expected prefix hits) and the decodes known to be
 * running, as of the horizon {@code h} = end of the last visible step. Work the engine did since
 * {@code h} is estimated from the model ({@code (now - h)} at the full-budget prefill rate) and
 * taken off the work routed before {@code h}; work routed after {@code h} is counted in full (it
 * cannot have been visible). So a burst of requests never herds onto an engine whose telemetry
 * has not moved yet, and stale telemetry degrades into the router's own accounting rather than
 * into a stale picture.
 *
 * <p>Forecasts (ms): TTFT = chunked-prefill drain of that work plus this prompt at the engine's
 * budget next to its decodes, and, if the KV cache cannot hold the queue, the wait for enough
 * decodes to finish; TPOT = decode step with this request added, inflated by the engine's prefill
 * utilisation {@code rho} (prefill tokens routed per ms x marginal step time per prefill token):
 * {@code step / (1 - rho)}, the mean step when a share rho of the time goes to prefill; harm = the
 * added per-token time of every running decode (one more sequence, plus this prefill spread over
 * their expected remaining output).
 *
 * <p>Ledger feed ({@code ledger-feed}): {@code response} (default) follows first tokens and
 * completions as they happen, which PRISM sees when it sits in the request path (an endpoint picker
 * behind the gateway, as llm-d's is) or when engines push request events on a low-latency stream;
 * then the ledger is current and only the step reports (the model's training data) are stale.
 * {@code telemetry} takes the request events after the same delay as the polled metrics, and
 * estimates the progress since with the fluid replay above.
 *
 * <p>Cold start: an engine whose class has no prior starts a cold model and is marked unreliable
 * until the model is warm; PRISM's scorers then rank such candidates by the router's own in-flight
 * count (least-request-local), the strongest state-free rule.
 */
public final class ModelForecaster implements SloForecaster {

  public static final String TYPE = "prism-forecaster";

  private enum Phase { PENDING, DECODING }

  private static final class Tracked {
    final int engine;
    final int promptTokens;
    final int prefillTokens;
    final int blocks;
    final double routedAtMs;
    final double predictedWaitMs;
    final double ownStepMs;
    final double predictedTpotMs;
    final double ttftTargetMs;
    double firstTokenMs = Double.NaN;
    Phase phase = Phase.PENDING;

    Tracked(int engine, int promptTokens, int prefillTokens, int blocks, double routedAtMs,
        double predictedWaitMs, double ownStepMs, double predictedTpotMs, double ttftTargetMs) {
      this.engine = engine;
      this.promptTokens = promptTokens;
      this.prefillTokens = prefillTokens;
      this.blocks = blocks;
      this.routedAtMs = routedAtMs;
      this.predictedWaitMs = predictedWaitMs;
      this.ownStepMs = ownStepMs;
      this.predictedTpotMs = predictedTpotMs;
      this.ttftTargetMs = ttftTargetMs;
    }
  }

  private final StepLatencyModelConfig config = StepLatencyModelConfig.defaults();
  private final int defaultBudget;
  private final double rateTauMs;
  private final int kvBlockTokens;
  private final double calibrationWeight;
  /** Engine rejections of pending requests calibrate the wait forecast (see {@link #calibrateRejected}). */
  private final boolean rejectFeedback;
  /** True: the ledger follows responses as they happen; false: request events after the telemetry delay. */
  private final boolean responseFeed;
  private final OutputLengthEstimator outputs;
  private final RoutedPrefixIndex prefixes = new RoutedPrefixIndex();
  private final Forecasts forecasts = new Forecasts();
  private final Map<Long, Tracked> ledger = new HashMap<>();
  /** Engine that last turned each request away before its first token, until it is routed again. */
  private final Map<Long, Integer> shedBy = new HashMap<>();
  private Function<String, StepLatencyPrior> priors = c -> null;

  private StepLatencyModel[] models = new StepLatencyModel[0];
  private boolean[] fromPrior = new boolean[0];
  private int[] budget = new int[0];
  private double[] horizonMs = new double[0];
  private long[] pendingTokens = new long[0];
  private int[] pendingCount = new int[0];
  private long[] pendingBlocks = new long[0];
  private int[] decoding = new int[0];
  private long[] decodingPrompt = new long[0];
  private double[] prefillRate = new double[0];
  /** Requests routed per ms, EWMA with the same window as {@link #prefillRate}. */
  private double[] requestRate = new double[0];
  private double[] rateTime = new double[0];
  private int[] kvTotal = new int[0];
  private double[] referenceMs = new double[0];
  /** Log of (observed / predicted) queueing delay before the first token, EWMA per engine. */
  private double[] waitBias = new double[0];
  /** Unloaded prefill time of the request forecast last, per engine (for the calibration). */
  private double[] ownStepMs = new double[0];
  private double[] rawWaitMs = new double[0];
  /** Log of (observed / predicted) TPOT, EWMA per engine, from the completions the router sees. */
  private double[] tpotBias = new double[0];
  private double[] rawTpotMs = new double[0];
  private long[] referenceVersion = new long[0];
  private ArrayDeque<long[]>[] recent = newRecent(0);
  private long[] recentTokens = new long[0];
  private int[] recentCount = new int[0];

  public ModelForecaster(PluginContext context) {
    this.defaultBudget = context.get(ModelForecasterParameters.TOKEN_BUDGET);
    this.rateTauMs = context.get(ModelForecasterParameters.RATE_WINDOW_MS);
    this.kvBlockTokens = context.get(ModelForecasterParameters.KV_BLOCK_TOKENS);
    this.calibrationWeight = context.get(ModelForecasterParameters.CALIBRATION_WEIGHT);
    this.rejectFeedback = context.get(ModelForecasterParameters.REJECT_FEEDBACK);
    this.responseFeed = context.get(ModelForecasterParameters.LEDGER_FEED) == ModelForecasterParameters.LedgerFeed.RESPONSE;
    this.outputs = new OutputLengthEstimator(
        context.get(ModelForecasterParameters.INITIAL_OUTPUT_TOKENS), 2000, 20);
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

  /** The output-length estimate, for tests and reports. */
  public OutputLengthEstimator outputs() {
    return outputs;
  }

  @Override
  public Forecasts forecast(RoutingRequest request, List<? extends EngineView> engines, Candidates c) {
    if (forecasts.isFor(request.requestId(), request.arrivalTimeMs())) {
      return forecasts;
    }
    int n = engines.size();
    ensure(n);
    forecasts.markFor(request.requestId(), request.arrivalTimeMs(), n);
    double now = request.arrivalTimeMs();
    double out = outputs.expected(request.promptTokens());
    Integer refused = shedBy.isEmpty() ? null : shedBy.get(request.requestId());
    for (int k = 0; k < c.size(); k++) {
      int i = c.engineAt(k);
      forecastEngine(i, engines.get(i), request, now, out);
      if (refused != null && refused == i) {
        forecasts.ttftMs[i] = Double.POSITIVE_INFINITY;
      }
    }
    return forecasts;
  }

  private void forecastEngine(int i, EngineView view, RoutingRequest r, double now, double out) {
    StepLatencyModel m = model(i, view);
    Forecasts f = forecasts;
    f.inFlight[i] = pendingCount[i] + decoding[i];
    f.reliable[i] = fromPrior[i] || m.isWarm();
    int b = budget[i] > 0 ? budget[i] : defaultBudget;
    long[] hashes = r.prefixHashes();
    int cached = 0;
    if (hashes.length > 0) {
      int matched = prefixes.matchedPrefix(i, hashes);
      cached = Math.min(r.promptTokens() - 1, matched * 512);
    }
    f.cachedShare[i] = (double) cached / r.promptTokens();
    int prefill = r.promptTokens() - cached;

    // State now, from the ledger as of the horizon plus the work done since.
    double elapsed = Math.max(0, now - horizonMs[i]);
    double meanPrompt = decoding[i] > 0 ? (double) decodingPrompt[i] / decoding[i] : r.promptTokens();
    double d0 = decoding[i];
    double ctx0 = d0 * (meanPrompt + out / 2);
    double stepD = step(m, 0, d0, ctx0);
    int chunk = (int) Math.max(1, b - d0);
    double fullStep = step(m, chunk, d0, ctx0);
    // Fluid replay since the horizon: the backlog known at h, plus each request routed after h at
    // its arrival, drained at the engine's full-budget prefill rate. O(requests routed since h).
    long old = pendingTokens[i] - recentTokens[i];
    int oldCount = pendingCount[i] - recentCount[i];
    double rateTok = chunk / fullStep;
    double backlog = old;
    double t = horizonMs[i];
    if (responseFeed) {
      // The ledger is current: nothing to replay, nothing to decay.
      elapsed = 0;
      t = Double.NEGATIVE_INFINITY;
    }
    for (long[] e : (responseFeed ? EMPTY : recent[i])) {
      double te = Double.longBitsToDouble(e[0]);
      if (t > Double.NEGATIVE_INFINITY) {
        backlog = Math.max(0, backlog - (te - t) * rateTok);
      }
      backlog += e[1];
      t = te;
    }
    if (t > Double.NEGATIVE_INFINITY) {
      backlog = Math.max(0, backlog - (now - t) * rateTok);
    }
    if (responseFeed) {
      backlog = pendingTokens[i];
    }
    double inTotal = old + recentTokens[i];
    double converted = inTotal > 0 && !responseFeed ? (oldCount + recentCount[i]) * (inTotal - backlog) / inTotal : 0;
    double residual = outputs.meanRemainingOfRunning();
    double decayed = d0 * Math.max(0, 1 - elapsed / (stepD * residual));
    double decodes = decayed + converted;
    double ctx = decodes * (meanPrompt + out / 2);
    double queue = backlog;

    // TTFT: chunked prefill of the queue plus this prompt at the engine's budget.
    double dStep = step(m, 0, decodes, ctx);
    double c1 = Math.max(1, b - decodes);
    double total = queue + prefill;
    double fullSteps = Math.floor((total - 1) / c1);
    double lastChunk = total - fullSteps * c1;
    double busyRemainder = queue > 0 || decodes >= 1 ? dStep / 2 : 0;
    double ttft = busyRemainder + fullSteps * step(m, c1, decodes, ctx) + step(m, lastChunk, decodes, ctx);
    // KV: the queue holds blocks once admitted; beyond capacity it waits for decodes to finish.
    int kvCapacity = kvTotal[i] > 0 ? kvTotal[i] : view.kvBlocksTotal();
    double queueBlocks = pendingTokens[i] > 0 ? pendingBlocks[i] * (queue / pendingTokens[i]) : 0;
    double ownBlocks = Math.ceil((r.promptTokens() + 1.0) / kvBlockTokens);
    double runningBlocks = decodes * Math.ceil((meanPrompt + out / 2) / kvBlockTokens);
    double need = runningBlocks + queueBlocks + ownBlocks - kvCapacity;
    f.kvShare[i] = kvCapacity > 0
        ? (view.kvBlocksUsed() + Math.ceil((double) recentTokens[i] / kvBlockTokens) + ownBlocks) / kvCapacity : 1;
    if (need > 0) {
      double freedPerStep = decodes > 0 ? decodes / residual * Math.ceil((meanPrompt + residual) / kvBlockTokens) : 0;
      double waitMs = freedPerStep > 0 ? need / freedPerStep * dStep : Double.POSITIVE_INFINITY;
      ttft = Math.max(ttft, waitMs + step(m, prefill, decodes, ctx));
    }
    // Closed-loop calibration: the queueing part of the forecast (beyond this request's own
    // prefill on an idle engine) is scaled by what the engine's first tokens showed so far.
    double own = step(m, prefill, 0, 0);
    double wait = Math.max(0, ttft - own);
    ownStepMs[i] = own;
    rawWaitMs[i] = wait;
    f.ttftMs[i] = own + wait * Math.exp(waitBias[i]);

    // TPOT: decode step with this request added, inflated by the prefill share of the engine.
    double ctxWith = ctx + r.promptTokens() + out / 2;
    double d1 = step(m, 0, decodes + 1, ctxWith);
    double marginal = (step(m, 512, decodes + 1, ctxWith) - d1) / 512;
    double rate = rateAt(i, now) + prefill / rateTauMs;
    double rho = marginal * rate;
    double meanTpot = rho < 0.95 ? d1 / (1 - rho) : d1 * 20;
    // Tail for short outputs: TPOT is a mean over few steps, so one prefill step landing in the
    // request's decode window adds (spike / (out - 1)) with the probability that another request
    // arrives within the window. The mean above spreads that spike; a short decode cannot.
    double reqRate = requestRate[i] * Math.exp(-Math.max(0, now - rateTime[i]) / rateTauMs);
    double meanRouted = reqRate > 0 ? rateAt(i, now) / reqRate : 0;
    double typicalSpike = marginal * Math.min(meanRouted, b);
    double window = Math.max(1, out - 1) * meanTpot;
    double pHit = 1 - Math.exp(-reqRate * window);
    double tpotRaw = meanTpot + pHit * typicalSpike / Math.max(1, out - 1) * Math.min(1, (out - 1) / 8.0 + 0.5);
    rawTpotMs[i] = tpotRaw;
    f.tpotMs[i] = tpotRaw * Math.exp(tpotBias[i]);

    // Harm: what every running decode pays per token for this request.
    double spike = Math.max(0, step(m, Math.min(prefill, b), decodes, ctx) - dStep);
    f.harmMs[i] = decodes * ((d1 - dStep) + spike / out);
    f.referenceStepMs[i] = reference(i, m);
  }

  private static double step(StepLatencyModel m, double prefill, double decodes, double ctx) {
    int p = (int) Math.ceil(prefill);
    int d = (int) Math.round(decodes);
    long sq = (long) p * p;
    return m.predictUs(p, p > 0 ? 1 : 0, sq, 0L, 0L, d, (long) ctx) / 1000.0;
  }

  private double reference(int i, StepLatencyModel m) {
    if (referenceVersion[i] != m.modelVersion() + 1) {
      referenceMs[i] = step(m, 0, 32, 32 * 1024);
      referenceVersion[i] = m.modelVersion() + 1;
    }
    return referenceMs[i];
  }

  private double rateAt(int i, double now) {
    return prefillRate[i] * Math.exp(-Math.max(0, now - rateTime[i]) / rateTauMs);
  }

  private StepLatencyModel model(int i, EngineView view) {
    if (models[i] == null) {
      StepLatencyPrior prior = priors.apply(StepLatencyPrior.classKey(view.gpu(), view.model(), view.tensorParallel()));
      models[i] = prior == null ? StepLatencyModel.cold(config) : StepLatencyModel.fromPrior(prior, config);
      fromPrior[i] = prior != null;
      kvTotal[i] = view.kvBlocksTotal();
      prefixes.ensureEngine(i, Math.max(1, (int) ((long) view.kvBlocksTotal() * kvBlockTokens / 512)));
    }
    return models[i];
  }

  @Override
  public void onRouted(RoutingRequest r, int engine) {
    if (!shedBy.isEmpty()) {
      shedBy.remove(r.requestId());
    }
    if (engine == Router.SHED) {
      return;
    }
    ensure(engine + 1);
    double cachedShare = forecasts.isFor(r.requestId(), r.arrivalTimeMs()) ? forecasts.cachedShare[engine] : 0;
    int prefill = Math.max(1, (int) Math.round(r.promptTokens() * (1 - cachedShare)));
    int blocks = (int) Math.ceil((r.promptTokens() + 1.0) / kvBlockTokens);
    boolean known = forecasts.isFor(r.requestId(), r.arrivalTimeMs());
    ledger.put(r.requestId(), new Tracked(engine, r.promptTokens(), prefill, blocks, r.arrivalTimeMs(),
        known ? rawWaitMs[engine] : Double.NaN, known ? ownStepMs[engine] : Double.NaN,
        known ? rawTpotMs[engine] : Double.NaN, r.sloTtftMs()));
    pendingTokens[engine] += prefill;
    pendingCount[engine]++;
    pendingBlocks[engine] += blocks;
    recent[engine].addLast(new long[] {Double.doubleToLongBits(r.arrivalTimeMs()), prefill});
    recentTokens[engine] += prefill;
    recentCount[engine]++;
    double decay = Math.exp(-Math.max(0, r.arrivalTimeMs() - rateTime[engine]) / rateTauMs);
    requestRate[engine] = requestRate[engine] * decay + 1 / rateTauMs;
    prefillRate[engine] = rateAt(engine, r.arrivalTimeMs()) + prefill / rateTauMs;
    rateTime[engine] = r.arrivalTimeMs();
    if (r.prefixHashes().length > 0) {
      prefixes.record(engine, r.prefixHashes(), 1);
    }
  }

  @Override
  public void onStepVisible(int engine, StepObservation step) {
    ensure(engine + 1);
    if (models[engine] != null) {
      models[engine].learn(step);
    }
    if (step.tokenBudget() > 0) {
      budget[engine] = step.tokenBudget();
    }
    double end = step.startTimeMs() + step.durationUs() / 1000.0;
    if (end > horizonMs[engine]) {
      horizonMs[engine] = end;
      ArrayDeque<long[]> q = recent[engine];
      while (!q.isEmpty() && Double.longBitsToDouble(q.peekFirst()[0]) <= end) {
        long[] e = q.pollFirst();
        recentTokens[engine] -= e[1];
        recentCount[engine]--;
      }
    }
  }

  @Override
  public void onRequestEventVisible(int engine, RequestObservation event) {
    if (!responseFeed) {
      updateLedger(event);
    }
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    if (responseFeed) {
      updateLedger(event);
    }
  }

  private void updateLedger(RequestObservation event) {
    Tracked t = ledger.get(event.requestId());
    if (t == null) {
      return;
    }
    switch (event.type()) {
      case FIRST_TOKEN -> {
        if (t.phase == Phase.PENDING) {
          calibrate(t, event.timeMs());
          t.firstTokenMs = event.timeMs();
          leavePending(t);
          t.phase = Phase.DECODING;
          decoding[t.engine]++;
          decodingPrompt[t.engine] += t.promptTokens;
        }
      }
      case FINISHED -> {
        if (t.phase == Phase.PENDING) {
          leavePending(t);
        } else {
          decoding[t.engine]--;
          decodingPrompt[t.engine] -= t.promptTokens;
        }
        ledger.remove(event.requestId());
        outputs.learn(t.promptTokens, event.generatedTokens());
        calibrateTpot(t, event);
      }
      case REJECTED -> {
        if (t.phase == Phase.PENDING) {
          calibrateRejected(t, event.timeMs());
          shedBy.put(event.requestId(), t.engine);
          leavePending(t);
        } else {
          decoding[t.engine]--;
          decodingPrompt[t.engine] -= t.promptTokens;
        }
        ledger.remove(event.requestId());
      }
      default -> { }
    }
  }

  /**
   * Learns the bias of the queueing forecast from one observed first token: EWMA (weight
   * {@code calibration-weight}, default 0.05; 0 turns calibration off) of log((observed wait + 50 ms) / (predicted wait + 50 ms)); the
   * 50 ms keep near-idle engines from dominating with noise. Clipped to a factor of 8 either way.
   */
  private void calibrate(Tracked t, double firstTokenMs) {
    if (Double.isNaN(t.predictedWaitMs)) {
      return;
    }
    double observedWait = Math.max(0, firstTokenMs - t.routedAtMs - t.ownStepMs);
    double sample = Math.log((observedWait + 50) / (t.predictedWaitMs + 50));
    double b = waitBias[t.engine] + calibrationWeight * (sample - waitBias[t.engine]);
    waitBias[t.engine] = Math.max(-LOG8, Math.min(LOG8, b));
  }

  /**
   * A request the engine turned away before its first token (an engine scheduler that sheds what
   * it predicts will miss its TTFT, or one past its queue's patience) is a censored observation: its
   * first token would have come no earlier than its TTFT target. Without this the calibration sees
   * only the requests that were served, the fast ones, and keeps the wait forecast of an engine
   * that sheds too low, so the router keeps sending it work that it sheds. Counted as a first
   * token at {@code max(rejection, arrival + TTFT target)}; rejections the forecast already
   * expected (predicted wait beyond that) teach nothing.
   */
  private void calibrateRejected(Tracked t, double rejectedMs) {
    if (!rejectFeedback || Double.isNaN(t.ttftTargetMs)) {
      return;
    }
    calibrate(t, Math.max(rejectedMs, t.routedAtMs + t.ttftTargetMs));
  }

  /** As {@link #calibrate} for TPOT: log(observed / predicted mean step over the decode). */
  private void calibrateTpot(Tracked t, RequestObservation finished) {
    if (Double.isNaN(t.predictedTpotMs) || Double.isNaN(t.firstTokenMs) || finished.generatedTokens() < 2
        || !(t.predictedTpotMs > 0)) {
      return;
    }
    double observed = (finished.timeMs() - t.firstTokenMs) / (finished.generatedTokens() - 1);
    if (!(observed > 0)) {
      return;
    }
    double sample = Math.log(observed / t.predictedTpotMs);
    double b = tpotBias[t.engine] + calibrationWeight * (sample - tpotBias[t.engine]);
    tpotBias[t.engine] = Math.max(-LOG8, Math.min(LOG8, b));
  }

  private static final double LOG8 = Math.log(8);

  private void leavePending(Tracked t) {
    pendingTokens[t.engine] -= t.prefillTokens;
    pendingCount[t.engine]--;
    pendingBlocks[t.engine] -= t.blocks;
  }

  private static final ArrayDeque<long[]> EMPTY = new ArrayDeque<>();

  @SuppressWarnings("unchecked")
  private static ArrayDeque<long[]>[] newRecent(int n) {
    return new ArrayDeque[n];
  }

  private void ensure(int n) {
    if (models.length >= n) {
      return;
    }
    int size = Math.max(n, models.length * 2);
    int old = models.length;
    models = Arrays.copyOf(models, size);
    fromPrior = Arrays.copyOf(fromPrior, size);
    budget = Arrays.copyOf(budget, size);
    horizonMs = Arrays.copyOf(horizonMs, size);
    pendingTokens = Arrays.copyOf(pendingTokens, size);
    pendingCount = Arrays.copyOf(pendingCount, size);
    pendingBlocks = Arrays.copyOf(pendingBlocks, size);
    decoding = Arrays.copyOf(decoding, size);
    decodingPrompt = Arrays.copyOf(decodingPrompt, size);
    prefillRate = Arrays.copyOf(prefillRate, size);
    requestRate = Arrays.copyOf(requestRate, size);
    rateTime = Arrays.copyOf(rateTime, size);
    kvTotal = Arrays.copyOf(kvTotal, size);
    referenceMs = Arrays.copyOf(referenceMs, size);
    waitBias = Arrays.copyOf(waitBias, size);
    ownStepMs = Arrays.copyOf(ownStepMs, size);
    rawWaitMs = Arrays.copyOf(rawWaitMs, size);
    tpotBias = Arrays.copyOf(tpotBias, size);
    rawTpotMs = Arrays.copyOf(rawTpotMs, size);
    referenceVersion = Arrays.copyOf(referenceVersion, size);
    recentTokens = Arrays.copyOf(recentTokens, size);
    recentCount = Arrays.copyOf(recentCount, size);
    recent = Arrays.copyOf(recent, size);
    for (int i = old; i < size; i++) {
      recent[i] = new ArrayDeque<>();
      horizonMs[i] = Double.NEGATIVE_INFINITY;
    }
    forecasts.size(size);
  }
}
