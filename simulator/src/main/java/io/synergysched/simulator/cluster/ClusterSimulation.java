package io.synergysched.simulator.cluster;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerEnvironment;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.engine.SimRequest;
import io.synergysched.simulator.engine.SimulatedEngine;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Replays a trace on a cluster of simulated engines in virtual time, as fast as possible: each
 * arrival is routed by the {@link Router} (which sees engines only through telemetry delayed by
 * {@code stalenessMs}), each engine steps independently, and the run ends when every request has
 * finished. Deterministic: events are processed in time order, ties broken by engine index, step
 * completions before arrivals.
 */
public final class ClusterSimulation {

  private final List<EngineSetup> engines;
  private final String schedulerName;
  private final double stalenessMs;
  private final SloTargets slo;
  private final int shedRetries;
  private final Regime regime;

  public ClusterSimulation(
      List<EngineSetup> engines, String schedulerName, double stalenessMs, SloTargets slo) {
    this(engines, schedulerName, stalenessMs, slo, 0);
  }

  /**
   * @param shedRetries how many times a request an engine's scheduler sheds (a rejection with a
   *     retry hint) is routed again, at once, by the same router (0: never). The retry is a new
   *     routing decision at the time of the rejection with the TTFT budget left (its latency still
   *     counts from the original arrival), and is offered to every router alike, as a gateway's
   *     retry policy would (Envoy's {@code retry_on: retriable-status-codes} on 429/503). A retry
   *     whose TTFT budget is already spent is not made.
   */
  public ClusterSimulation(List<EngineSetup> engines, String schedulerName, double stalenessMs,
      SloTargets slo, int shedRetries) {
    this(engines, schedulerName, stalenessMs, slo, shedRetries, Regime.AS_SHIPPED);
  }

  /**
   * As above, with the engines' schedulers created under {@code regime} (scenario key {@code
   * regime}; the router is created by the caller, under the same regime).
   */
  public ClusterSimulation(List<EngineSetup> engines, String schedulerName, double stalenessMs,
      SloTargets slo, int shedRetries, Regime regime) {
    regime.requireImplemented();
    if (engines.isEmpty()) {
      throw new IllegalArgumentException("engines must not be empty");
    }
    if (!(stalenessMs >= 0)) {
      throw new IllegalArgumentException("telemetry_staleness_ms must be >= 0, got " + stalenessMs);
    }
    BatchSchedulerRegistry.create(schedulerName);
    this.engines = List.copyOf(engines);
    this.schedulerName = schedulerName;
    this.stalenessMs = stalenessMs;
    this.slo = slo;
    if (shedRetries < 0) {
      throw new IllegalArgumentException("shed_retries must be >= 0, got " + shedRetries);
    }
    this.shedRetries = shedRetries;
    this.regime = regime;
  }

  public Regime regime() {
    return regime;
  }

  /**
   * @param listeners per-engine listener by engine id (may return null), or null for none
   * @param progress called with the share of arrivals routed so far, or null
   */
  public RunResult run(
      List<TraceRequest> trace,
      Router router,
      Function<String, EngineListener> listeners,
      java.util.function.DoubleConsumer progress) {
    int n = engines.size();
    SimulatedEngine[] sims = new SimulatedEngine[n];
    List<StaleTelemetryView> views = new ArrayList<>(n);
    RouterFeed feed = router.observesEngines() ? new RouterFeed(router, stalenessMs) : null;
    // Shed requests to route again: {time, request index}, in time order (events are processed in
    // time order, so rejections are produced in it).
    ArrayDeque<double[]> retries = new ArrayDeque<>();
    int[] attempts = new int[trace.size()];
    SimRequest[] requests = new SimRequest[trace.size()];
    router.useEngineClassPriors(OfflinePriorCatalog.forEngines(engines));
    for (int i = 0; i < n; i++) {
      EngineSetup setup = engines.get(i);
      sims[i] = new SimulatedEngine(
          setup.config(), setup.latency(),
          BatchSchedulerRegistry.create(schedulerName, schedulerEnvironment(setup, engines)));
      EngineListener listener = listeners == null ? null : listeners.apply(setup.config().engineId());
      if (feed != null) {
        listener = feed.listener(i, listener);
      }
      if (shedRetries > 0) {
        listener = retryOnShed(listener, requests, attempts, retries);
      }
      if (listener != null) {
        sims[i].setListener(listener);
      }
      views.add(new StaleTelemetryView(setup.config().engineId(), setup.latency().spec().gpu(),
          setup.latency().spec().model(), setup.latency().spec().tensorParallel(),
          sims[i].kvBlocksTotal(), stalenessMs));
    }
    if (router instanceof TruthAwareRouter oracle) {
      int[] outputs = new int[trace.size()];
      for (int k = 0; k < outputs.length; k++) {
        outputs[k] = trace.get(k).outputTokens();
      }
      oracle.attachTruth(sims, outputs);
    }
    int shed = 0;
    int retried = 0;
    int retriedInTime = 0;
    int next = 0;
    int progressEvery = Math.max(1, trace.size() / 100);
    while (true) {
      int engine = -1;
      double stepEnd = Double.POSITIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (sims[i].stepEndMs() < stepEnd) {
          stepEnd = sims[i].stepEndMs();
          engine = i;
        }
      }
      double arrival = next < trace.size() ? trace.get(next).arrivalMs() : Double.POSITIVE_INFINITY;
      double retryAt = retries.isEmpty() ? Double.POSITIVE_INFINITY : retries.peekFirst()[0];
      if (engine < 0 && next >= trace.size() && retries.isEmpty()) {
        break;
      }
      if (retryAt <= stepEnd && retryAt <= arrival) {
        int index = (int) retries.pollFirst()[1];
        retried++;
        if (retry(index, retryAt, trace.get(index), requests, sims, views, feed, router)) {
          retriedInTime++;
        }
        continue;
      }
      if (engine >= 0 && stepEnd <= arrival) {
        SimulatedEngine sim = sims[engine];
        sim.finishStep();
        views.get(engine).publish(stepEnd, sim.waitingCount(), sim.runningCount(), sim.kvBlocksUsed());
        continue;
      }
      TraceRequest t = trace.get(next);
      SimRequest request = new SimRequest(next, t.arrivalMs(), t.promptTokens(), t.outputTokens(),
          t.sloTtftMs(), t.sloTpotMs(), t.prefixHashes());
      requests[next] = request;
      for (StaleTelemetryView view : views) {
        view.advanceTo(arrival);
      }
      if (feed != null) {
        feed.advanceTo(arrival);
      }
      // The request carries its SLO (the scenario's default when the trace gives none).
      int chosen = router.route(new RoutingRequest(next, arrival, t.promptTokens(),
          Double.isNaN(t.sloTtftMs()) ? slo.ttftMs() : t.sloTtftMs(),
          Double.isNaN(t.sloTpotMs()) ? slo.tpotMs() : t.sloTpotMs(), t.sessionId(), t.prefixHashes()), views);
      if (chosen == Router.SHED) {
        shed++;
      } else if (chosen < 0 || chosen >= n) {
        throw new IllegalStateException(
            "router " + router.name() + " chose engine " + chosen + " of " + n);
      } else {
        sims[chosen].submit(request, arrival);
      }
      next++;
      if (progress != null && next % progressEvery == 0) {
        progress.accept((double) next / trace.size());
      }
    }
    long steps = 0;
    long preemptions = 0;
    for (SimulatedEngine sim : sims) {
      steps += sim.stepsCompleted();
      preemptions += sim.preemptions();
    }
    return summarize(requests, steps, preemptions, shed)
        .withTriage(SchedulerTriage.of(requests, sims, slo))
        .withRetries(retried, retriedInTime, countRetriedInSlo(requests, attempts));
  }

  /** Wraps {@code downstream} so that a request a scheduler sheds is queued for another routing. */
  private EngineListener retryOnShed(EngineListener downstream, SimRequest[] requests, int[] attempts,
      ArrayDeque<double[]> retries) {
    return new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        if (downstream != null) {
          downstream.onStep(step);
        }
      }

      @Override
      public void onRequestEvent(RequestObservation event) {
        if (downstream != null) {
          downstream.onRequestEvent(event);
        }
        int index = (int) event.requestId();
        if (event.type() == RequestPhase.REJECTED && requests[index] != null
            && requests[index].wasShed() && attempts[index] < shedRetries) {
          attempts[index]++;
          retries.addLast(new double[] {event.timeMs(), index});
        }
      }
    };
  }

  /**
   * Routes a shed request again at {@code nowMs}: a new request object with the same id, prompt
   * and original arrival (so the engine's deadlines and the reported TTFT count from it), offered
   * to the router with the TTFT budget left. Returns false when no budget was left (not routed).
   */
  private boolean retry(int index, double nowMs, TraceRequest t, SimRequest[] requests,
      SimulatedEngine[] sims, List<StaleTelemetryView> views, RouterFeed feed, Router router) {
    SimRequest old = requests[index];
    double ttft = Double.isNaN(t.sloTtftMs()) ? slo.ttftMs() : t.sloTtftMs();
    double left = ttft - (nowMs - old.arrivalTimeMs());
    if (!(left > 0)) {
      return false;
    }
    for (StaleTelemetryView view : views) {
      view.advanceTo(nowMs);
    }
    if (feed != null) {
      feed.advanceTo(nowMs);
    }
    int chosen = router.route(new RoutingRequest(index, nowMs, t.promptTokens(), left,
        Double.isNaN(t.sloTpotMs()) ? slo.tpotMs() : t.sloTpotMs(), t.sessionId(), t.prefixHashes()), views);
    if (chosen == Router.SHED) {
      return true;
    }
    if (chosen < 0 || chosen >= sims.length) {
      throw new IllegalStateException("router " + router.name() + " chose engine " + chosen + " of " + sims.length);
    }
    SimRequest again = new SimRequest(index, old.arrivalTimeMs(), t.promptTokens(), t.outputTokens(),
        t.sloTtftMs(), t.sloTpotMs(), t.prefixHashes());
    requests[index] = again;
    sims[chosen].submit(again, nowMs);
    return true;
  }

  private int countRetriedInSlo(SimRequest[] requests, int[] attempts) {
    int n = 0;
    for (int k = 0; k < requests.length; k++) {
      SimRequest r = requests[k];
      if (attempts[k] > 0 && r != null && r.isFinished() && meetsSlo(r)) {
        n++;
      }
    }
    return n;
  }

  private boolean meetsSlo(SimRequest r) {
    double t = r.firstTokenTimeMs() - r.arrivalTimeMs();
    double p = r.outputTokens() > 1 ? (r.finishTimeMs() - r.firstTokenTimeMs()) / (r.outputTokens() - 1) : 0;
    return t <= (Double.isNaN(r.sloTtftMs()) ? slo.ttftMs() : r.sloTtftMs())
        && p <= (Double.isNaN(r.sloTpotMs()) ? slo.tpotMs() : r.sloTpotMs());
  }

  /**
   * What an engine's scheduler knows: the SLO defaults, its class prior (fitted offline, only for
   * the model-driven scheduler) and the delay of its hints, which travel the telemetry path to the
   * control plane and the control topic back (twice the telemetry staleness).
   */
  private SchedulerEnvironment schedulerEnvironment(EngineSetup setup, List<EngineSetup> all) {
    StepLatencyPrior prior = null;
    if (BatchSchedulerRegistry.LENS.equals(schedulerName)) {
      prior = OfflinePriorCatalog.forEngines(all).apply(StepLatencyPrior.classKey(
          setup.latency().spec().gpu(), setup.latency().spec().model(), setup.latency().spec().tensorParallel()));
    }
    return new SchedulerEnvironment(setup.config().engineId(), slo.ttftMs(), slo.tpotMs(), prior, 2 * stalenessMs);
  }

  private RunResult summarize(SimRequest[] requests, long steps, long preemptions, int shed) {
    int total = requests.length;
    double[] ttft = new double[total];
    double[] tpot = new double[total];
    double[] e2e = new double[total];
    int finished = 0;
    int rejected = 0;
    int ttftMet = 0;
    int tpotMet = 0;
    int bothMet = 0;
    long outputTokens = 0;
    double firstArrival = Double.POSITIVE_INFINITY;
    double lastFinish = 0;
    for (SimRequest r : requests) {
      firstArrival = Math.min(firstArrival, r.arrivalTimeMs());
      if (!r.isFinished()) {
        rejected++;
        continue;
      }
      double t = r.firstTokenTimeMs() - r.arrivalTimeMs();
      double p = r.outputTokens() > 1
          ? (r.finishTimeMs() - r.firstTokenTimeMs()) / (r.outputTokens() - 1) : 0;
      ttft[finished] = t;
      tpot[finished] = p;
      e2e[finished] = r.finishTimeMs() - r.arrivalTimeMs();
      finished++;
      outputTokens += r.outputTokens();
      lastFinish = Math.max(lastFinish, r.finishTimeMs());
      boolean ttftOk = t <= (Double.isNaN(r.sloTtftMs()) ? slo.ttftMs() : r.sloTtftMs());
      boolean tpotOk = p <= (Double.isNaN(r.sloTpotMs()) ? slo.tpotMs() : r.sloTpotMs());
      ttftMet += ttftOk ? 1 : 0;
      tpotMet += tpotOk ? 1 : 0;
      bothMet += ttftOk && tpotOk ? 1 : 0;
    }
    double[] ttftDone = Arrays.copyOf(ttft, finished);
    double[] tpotDone = Arrays.copyOf(tpot, finished);
    double[] e2eDone = Arrays.copyOf(e2e, finished);
    Arrays.sort(ttftDone);
    Arrays.sort(tpotDone);
    Arrays.sort(e2eDone);
    double makespan = finished > 0 ? lastFinish - firstArrival : 0;
    return new RunResult(total, rejected - shed,
        (double) bothMet / total, (double) ttftMet / total, (double) tpotMet / total,
        percentile(ttftDone, 50), percentile(ttftDone, 99),
        percentile(tpotDone, 50), percentile(tpotDone, 99),
        percentile(e2eDone, 50),
        makespan > 0 ? outputTokens / (makespan / 1000) : 0,
        steps, preemptions, makespan, shed);
  }

  /** Percentile of sorted values with linear interpolation (numpy's default); NaN if empty. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
  }
}
