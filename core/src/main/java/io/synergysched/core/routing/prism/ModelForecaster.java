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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PRISM's forecaster: per engine an online {@link StepLatencyModel} (started from the class prior
 * fitted offline, learning from every step report that reaches the router) and a ledger of the
 * requests the router sent there, updated by the request events that reach it. Per engine the
 * parts are an {@link EngineStepModel}, an {@link EngineLedger} and a {@link QueueingCalibration}.
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
  /** Requests routed and not known to have finished, by id. */
  private final Map<Long, Tracked> routedRequests = new HashMap<>();
  /** Engine that last turned each request away before its first token, until it is routed again. */
  private final Map<Long, Integer> shedBy = new HashMap<>();
  private Function<String, StepLatencyPrior> priors = c -> null;
  private EngineState[] engines = new EngineState[0];

  /** What the forecaster keeps about one engine. */
  private static final class EngineState {
    final EngineLedger ledger;
    final QueueingCalibration calibration;
    /** Null until the engine is first forecast, when its class (and so its prior) is known. */
    EngineStepModel model;
    /** Token budget the engine reported last; 0 before its first step report. */
    int budget;
    /** KV blocks of the engine, as its view gave them when it was first forecast. */
    int kvTotal;

    EngineState(double rateTauMs, double calibrationWeight) {
      this.ledger = new EngineLedger(rateTauMs);
      this.calibration = new QueueingCalibration(calibrationWeight);
    }
  }

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
  public Forecasts forecast(RoutingRequest request, List<? extends EngineView> views, Candidates c) {
    if (forecasts.isFor(request.requestId(), request.arrivalTimeMs())) {
      return forecasts;
    }
    int n = views.size();
    ensure(n);
    forecasts.markFor(request.requestId(), request.arrivalTimeMs(), n);
    double now = request.arrivalTimeMs();
    double out = outputs.expected(request.promptTokens());
    Integer refused = shedBy.isEmpty() ? null : shedBy.get(request.requestId());
    for (int k = 0; k < c.size(); k++) {
      int i = c.engineAt(k);
      forecastEngine(i, views.get(i), request, now, out);
      if (refused != null && refused == i) {
        forecasts.ttftMs[i] = Double.POSITIVE_INFINITY;
      }
    }
    return forecasts;
  }

  private void forecastEngine(int i, EngineView view, RoutingRequest r, double now, double out) {
    EngineState e = engines[i];
    EngineStepModel m = model(i, e, view);
    EngineLedger engineLedger = e.ledger;
    Forecasts f = forecasts;
    f.inFlight[i] = engineLedger.inFlight();
    f.reliable[i] = m.reliable();
    int b = e.budget > 0 ? e.budget : defaultBudget;
    long[] hashes = r.prefixHashes();
    int cached = 0;
    if (hashes.length > 0) {
      int matched = prefixes.matchedPrefix(i, hashes);
      cached = Math.min(r.promptTokens() - 1, matched * 512);
    }
    f.cachedShare[i] = (double) cached / r.promptTokens();
    int prefill = r.promptTokens() - cached;

    // State now, from the ledger as of the horizon plus the work done since.
    double meanPrompt = engineLedger.meanDecodingPrompt(r.promptTokens());
    double d0 = engineLedger.decoding();
    double ctx0 = d0 * (meanPrompt + out / 2);
    double stepD = m.stepMs(0, d0, ctx0);
    int chunk = (int) Math.max(1, b - d0);
    double fullStep = m.stepMs(chunk, d0, ctx0);
    double rateTok = chunk / fullStep;
    double elapsed;
    double backlog;
    double converted;
    if (responseFeed) {
      // The ledger is current: nothing to replay, nothing to decay.
      elapsed = 0;
      backlog = engineLedger.pendingTokens();
      converted = 0;
    } else {
      // Fluid replay since the horizon h, at the engine's full-budget prefill rate: the backlog
      // known at h drains, the requests routed after h join it as they arrived.
      elapsed = Math.max(0, now - engineLedger.horizonMs());
      backlog = engineLedger.backlogReplayedTo(now, rateTok);
      converted = engineLedger.pendingStartedWith(backlog);
    }
    double residual = outputs.meanRemainingOfRunning();
    double decayed = d0 * Math.max(0, 1 - elapsed / (stepD * residual));
    double decodes = decayed + converted;
    double ctx = decodes * (meanPrompt + out / 2);
    double queue = backlog;

    // TTFT: chunked prefill of the queue plus this prompt at the engine's budget.
    double dStep = m.stepMs(0, decodes, ctx);
    double c1 = Math.max(1, b - decodes);
    double total = queue + prefill;
    double fullSteps = Math.floor((total - 1) / c1);
    double lastChunk = total - fullSteps * c1;
    double busyRemainder = queue > 0 || decodes >= 1 ? dStep / 2 : 0;
    double ttft = busyRemainder + fullSteps * m.stepMs(c1, decodes, ctx) + m.stepMs(lastChunk, decodes, ctx);
    // KV: the queue holds blocks once admitted; beyond capacity it waits for decodes to finish.
    int kvCapacity = e.kvTotal > 0 ? e.kvTotal : view.kvBlocksTotal();
    long pendingTokens = engineLedger.pendingTokens();
    double queueBlocks = pendingTokens > 0 ? engineLedger.pendingBlocks() * (queue / pendingTokens) : 0;
    double ownBlocks = Math.ceil((r.promptTokens() + 1.0) / kvBlockTokens);
    double runningBlocks = decodes * Math.ceil((meanPrompt + out / 2) / kvBlockTokens);
    double need = runningBlocks + queueBlocks + ownBlocks - kvCapacity;
    f.kvShare[i] = kvCapacity > 0
        ? (view.kvBlocksUsed() + Math.ceil((double) engineLedger.recentTokens() / kvBlockTokens) + ownBlocks) / kvCapacity : 1;
    if (need > 0) {
      double freedPerStep = decodes > 0 ? decodes / residual * Math.ceil((meanPrompt + residual) / kvBlockTokens) : 0;
      double waitMs = freedPerStep > 0 ? need / freedPerStep * dStep : Double.POSITIVE_INFINITY;
      ttft = Math.max(ttft, waitMs + m.stepMs(prefill, decodes, ctx));
    }
    // Closed-loop calibration: the queueing part of the forecast (beyond this request's own
    // prefill on an idle engine) is scaled by what the engine's first tokens showed so far.
    double own = m.stepMs(prefill, 0, 0);
    double wait = Math.max(0, ttft - own);
    f.ttftMs[i] = e.calibration.ttftMs(own, wait);

    // TPOT: decode step with this request added, inflated by the prefill share of the engine.
    double ctxWith = ctx + r.promptTokens() + out / 2;
    double d1 = m.stepMs(0, decodes + 1, ctxWith);
    double marginal = (m.stepMs(512, decodes + 1, ctxWith) - d1) / 512;
    double rate = engineLedger.prefillRateAt(now) + prefill / rateTauMs;
    double rho = marginal * rate;
    double meanTpot = rho < 0.95 ? d1 / (1 - rho) : d1 * 20;
    // Tail for short outputs: TPOT is a mean over few steps, so one prefill step landing in the
    // request's decode window adds (spike / (out - 1)) with the probability that another request
    // arrives within the window. The mean above spreads that spike; a short decode cannot.
    double reqRate = engineLedger.requestRateAt(now);
    double meanRouted = reqRate > 0 ? engineLedger.prefillRateAt(now) / reqRate : 0;
    double typicalSpike = marginal * Math.min(meanRouted, b);
    double window = Math.max(1, out - 1) * meanTpot;
    double pHit = 1 - Math.exp(-reqRate * window);
    double tpotRaw = meanTpot + pHit * typicalSpike / Math.max(1, out - 1) * Math.min(1, (out - 1) / 8.0 + 0.5);
    f.tpotMs[i] = e.calibration.tpotMs(tpotRaw);

    // Harm: what every running decode pays per token for this request.
    double spike = Math.max(0, m.stepMs(Math.min(prefill, b), decodes, ctx) - dStep);
    f.harmMs[i] = decodes * ((d1 - dStep) + spike / out);
    f.referenceStepMs[i] = m.referenceStepMs();
  }

  private EngineStepModel model(int i, EngineState e, EngineView view) {
    if (e.model == null) {
      StepLatencyPrior prior = priors.apply(StepLatencyPrior.classKey(view.gpu(), view.model(), view.tensorParallel()));
      e.model = new EngineStepModel(
          prior == null ? StepLatencyModel.cold(config) : StepLatencyModel.fromPrior(prior, config), prior != null);
      e.kvTotal = view.kvBlocksTotal();
      prefixes.ensureEngine(i, Math.max(1, (int) ((long) view.kvBlocksTotal() * kvBlockTokens / 512)));
    }
    return e.model;
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
    EngineState e = engines[engine];
    double cachedShare = forecasts.isFor(r.requestId(), r.arrivalTimeMs()) ? forecasts.cachedShare[engine] : 0;
    int prefill = Math.max(1, (int) Math.round(r.promptTokens() * (1 - cachedShare)));
    int blocks = (int) Math.ceil((r.promptTokens() + 1.0) / kvBlockTokens);
    boolean known = forecasts.isFor(r.requestId(), r.arrivalTimeMs());
    QueueingCalibration calibration = e.calibration;
    routedRequests.put(r.requestId(), new Tracked(engine, r.promptTokens(), prefill, blocks, r.arrivalTimeMs(),
        known ? calibration.lastRawWaitMs() : Double.NaN, known ? calibration.lastOwnStepMs() : Double.NaN,
        known ? calibration.lastRawTpotMs() : Double.NaN, r.sloTtftMs()));
    e.ledger.routed(r.arrivalTimeMs(), prefill, blocks);
    if (r.prefixHashes().length > 0) {
      prefixes.record(engine, r.prefixHashes(), 1);
    }
  }

  @Override
  public void onStepVisible(int engine, StepObservation step) {
    ensure(engine + 1);
    EngineState e = engines[engine];
    if (e.model != null) {
      e.model.learn(step);
    }
    if (step.tokenBudget() > 0) {
      e.budget = step.tokenBudget();
    }
    e.ledger.stepVisible(step.startTimeMs() + step.durationUs() / 1000.0);
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
    Tracked t = routedRequests.get(event.requestId());
    if (t == null) {
      return;
    }
    EngineLedger engineLedger = engines[t.engine].ledger;
    switch (event.type()) {
      case FIRST_TOKEN -> {
        if (t.phase == Phase.PENDING) {
          calibrate(t, event.timeMs());
          t.firstTokenMs = event.timeMs();
          engineLedger.leftPending(t.prefillTokens, t.blocks);
          t.phase = Phase.DECODING;
          engineLedger.startedDecoding(t.promptTokens);
        }
      }
      case FINISHED -> {
        if (t.phase == Phase.PENDING) {
          engineLedger.leftPending(t.prefillTokens, t.blocks);
        } else {
          engineLedger.stoppedDecoding(t.promptTokens);
        }
        routedRequests.remove(event.requestId());
        outputs.learn(t.promptTokens, event.generatedTokens());
        calibrateTpot(t, event);
      }
      case REJECTED -> {
        if (t.phase == Phase.PENDING) {
          calibrateRejected(t, event.timeMs());
          shedBy.put(event.requestId(), t.engine);
          engineLedger.leftPending(t.prefillTokens, t.blocks);
        } else {
          engineLedger.stoppedDecoding(t.promptTokens);
        }
        routedRequests.remove(event.requestId());
      }
      default -> { }
    }
  }

  /**
   * Learns the bias of the queueing forecast from one observed first token (see
   * {@link QueueingCalibration}; weight {@code calibration-weight}, default 0.05, 0 turns
   * calibration off). Requests routed without a forecast of their engine teach nothing.
   */
  private void calibrate(Tracked t, double firstTokenMs) {
    if (Double.isNaN(t.predictedWaitMs)) {
      return;
    }
    double observedWait = Math.max(0, firstTokenMs - t.routedAtMs - t.ownStepMs);
    engines[t.engine].calibration.learnWait(observedWait, t.predictedWaitMs);
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

  /** As {@link #calibrate} for TPOT: observed against predicted mean step over the decode. */
  private void calibrateTpot(Tracked t, RequestObservation finished) {
    if (Double.isNaN(t.predictedTpotMs) || Double.isNaN(t.firstTokenMs) || finished.generatedTokens() < 2
        || !(t.predictedTpotMs > 0)) {
      return;
    }
    double observed = (finished.timeMs() - t.firstTokenMs) / (finished.generatedTokens() - 1);
    if (!(observed > 0)) {
      return;
    }
    engines[t.engine].calibration.learnTpot(observed, t.predictedTpotMs);
  }

  private void ensure(int n) {
    if (engines.length >= n) {
      return;
    }
    int size = Math.max(n, engines.length * 2);
    int old = engines.length;
    engines = Arrays.copyOf(engines, size);
    for (int i = old; i < size; i++) {
      engines[i] = new EngineState(rateTauMs, calibrationWeight);
    }
    forecasts.size(size);
  }
}
