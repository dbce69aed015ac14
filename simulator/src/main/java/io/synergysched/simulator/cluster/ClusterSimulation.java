package io.synergysched.simulator.cluster;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.regime.Regime;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerEnvironment;
import io.synergysched.core.scheduling.SchedulerProfile;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.engine.SimRequest;
import io.synergysched.simulator.engine.SimulatedEngine;
import io.synergysched.simulator.trace.TraceRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * Replays a trace on a cluster of simulated engines in virtual time, as fast as possible: each
 * arrival is routed by the {@link Router} (which sees engines only through telemetry delayed by
 * {@code stalenessMs}), each engine steps independently, and the run ends when every request has
 * finished. Deterministic: events are processed in time order, ties broken by engine index, step
 * completions before arrivals. A request the router holds ({@link Router#HOLD}) is offered to it
 * again, as a new decision, at the time it names.
 */
public final class ClusterSimulation {

  private final List<EngineSetup> engines;
  private final SchedulerProfile scheduler;
  private final Regime regime;
  private final double stalenessMs;
  private final SloTargets slo;
  private final int shedRetries;

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
   * @param regime what may shed: the engines run scheduler {@code schedulerName} as
   *     {@link Regime#schedulerProfile} makes it (the router is the caller's, made for the same
   *     regime by {@link SimulatorRouters#create(String, Regime)})
   */
  public ClusterSimulation(List<EngineSetup> engines, String schedulerName, double stalenessMs,
      SloTargets slo, int shedRetries, Regime regime) {
    if (engines.isEmpty()) {
      throw new IllegalArgumentException("engines must not be empty");
    }
    if (!(stalenessMs >= 0)) {
      throw new IllegalArgumentException("telemetry_staleness_ms must be >= 0, got " + stalenessMs);
    }
    this.regime = regime;
    this.scheduler = regime.schedulerProfile(BatchSchedulerRegistry.known(schedulerName));
    this.engines = List.copyOf(engines);
    this.stalenessMs = stalenessMs;
    this.slo = slo;
    if (shedRetries < 0) {
      throw new IllegalArgumentException("shed_retries must be >= 0, got " + shedRetries);
    }
    this.shedRetries = shedRetries;
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
    // Held requests to offer again: {time, order held, request index}, earliest first.
    PriorityQueue<double[]> holds = new PriorityQueue<>((a, b) -> a[0] != b[0]
        ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    int[] attempts = new int[trace.size()];
    SimRequest[] requests = new SimRequest[trace.size()];
    router.useEngineClassPriors(OfflinePriorCatalog.forEngines(engines));
    for (int i = 0; i < n; i++) {
      EngineSetup setup = engines.get(i);
      sims[i] = new SimulatedEngine(
          setup.config(), setup.latency(),
          BatchSchedulerRegistry.create(scheduler, schedulerEnvironment(setup, engines)));
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
    Outcomes out = new Outcomes();
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
      double holdAt = holds.isEmpty() ? Double.POSITIVE_INFINITY : holds.peek()[0];
      if (engine < 0 && next >= trace.size() && retries.isEmpty() && holds.isEmpty()) {
        break;
      }
      if (retryAt <= stepEnd && retryAt <= arrival && retryAt <= holdAt) {
        int index = (int) retries.pollFirst()[1];
        out.retried++;
        if (offerAgain(index, retryAt, trace.get(index), requests, sims, views, feed, router, holds, out)) {
          out.retriedInTime++;
        }
        continue;
      }
      if (holdAt <= stepEnd && holdAt <= arrival) {
        int index = (int) holds.poll()[2];
        offerAgain(index, holdAt, trace.get(index), requests, sims, views, feed, router, holds, out);
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
        out.shed++;
      } else if (chosen == Router.HOLD) {
        out.hold(next, router, holds);
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
    return summarize(requests, steps, preemptions, out.shed)
        .withTriage(SchedulerTriage.of(requests, sims, slo))
        .withRetries(out.retried, out.retriedInTime, countRetriedInSlo(requests, attempts))
        .withHolds(out.held.size(), out.placedAfterHold.size());
  }

  /** What the router decided beyond placing: sheds, holds, retries. */
  private static final class Outcomes {
    int shed;
    int retried;
    int retriedInTime;
    int holdOrder;
    /** Requests the router held at least once. */
    final Set<Integer> held = new HashSet<>();
    /** Of those, the ones it placed on an engine after all. */
    final Set<Integer> placedAfterHold = new HashSet<>();

    void hold(int index, Router router, PriorityQueue<double[]> holds) {
      double until = router.holdUntilMs();
      if (Double.isNaN(until)) {
        throw new IllegalStateException("router " + router.name() + " held request " + index + " without a time");
      }
      held.add(index);
      holds.add(new double[] {until, holdOrder++, index});
    }
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
   * Offers request {@code index} to the router again at {@code nowMs}, as a new decision with the
   * TTFT budget left: a request an engine shed (a retry) or one the router held. A shed request
   * becomes a new request object with the same id, prompt and original arrival (so the engine's
   * deadlines and the reported TTFT count from it); a held one was never submitted and goes as it
   * is. Returns false when no budget was left: the request is not offered, and a held one counts
   * as shed by the router.
   */
  private boolean offerAgain(int index, double nowMs, TraceRequest t, SimRequest[] requests,
      SimulatedEngine[] sims, List<StaleTelemetryView> views, RouterFeed feed, Router router,
      PriorityQueue<double[]> holds, Outcomes out) {
    SimRequest old = requests[index];
    boolean neverSubmitted = !old.isRejected();
    double ttft = Double.isNaN(t.sloTtftMs()) ? slo.ttftMs() : t.sloTtftMs();
    double left = ttft - (nowMs - old.arrivalTimeMs());
    if (!(left > 0)) {
      out.shed += neverSubmitted ? 1 : 0;
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
      out.shed += neverSubmitted ? 1 : 0;
      return true;
    }
    if (chosen == Router.HOLD) {
      out.hold(index, router, holds);
      return true;
    }
    if (chosen < 0 || chosen >= sims.length) {
      throw new IllegalStateException("router " + router.name() + " chose engine " + chosen + " of " + sims.length);
    }
    SimRequest submitted = neverSubmitted ? old : new SimRequest(index, old.arrivalTimeMs(), t.promptTokens(),
        t.outputTokens(), t.sloTtftMs(), t.sloTpotMs(), t.prefixHashes());
    requests[index] = submitted;
    if (out.held.contains(index)) {
      out.placedAfterHold.add(index);
    }
    sims[chosen].submit(submitted, nowMs);
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
    if (BatchSchedulerRegistry.LENS_TYPE.equals(scheduler.type())) {
      prior = OfflinePriorCatalog.forEngines(all).apply(StepLatencyPrior.classKey(
          setup.latency().spec().gpu(), setup.latency().spec().model(), setup.latency().spec().tensorParallel()));
    }
    return new SchedulerEnvironment(setup.config().engineId(), slo.ttftMs(), slo.tpotMs(), prior, 2 * stalenessMs);
  }

  /**
   * Counts over the finished run. Attainment is over every request (a shed or rejected one is a
   * miss); latency percentiles twice: over every request, an unserved one as infinitely late, and
   * over the served ones.
   */
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
    Arrays.fill(ttft, finished, total, Double.POSITIVE_INFINITY);
    Arrays.fill(tpot, finished, total, Double.POSITIVE_INFINITY);
    Arrays.fill(e2e, finished, total, Double.POSITIVE_INFINITY);
    double[] ttftServed = Arrays.copyOf(ttft, finished);
    double[] tpotServed = Arrays.copyOf(tpot, finished);
    double[] e2eServed = Arrays.copyOf(e2e, finished);
    for (double[] values : List.of(ttft, tpot, e2e, ttftServed, tpotServed, e2eServed)) {
      Arrays.sort(values);
    }
    double makespan = finished > 0 ? lastFinish - firstArrival : 0;
    return new RunResult(total, rejected - shed,
        (double) bothMet / total, (double) ttftMet / total, (double) tpotMet / total,
        percentile(ttft, 50), percentile(ttft, 99), percentile(tpot, 50), percentile(tpot, 99),
        percentile(e2e, 50),
        percentile(ttftServed, 50), percentile(ttftServed, 99), percentile(tpotServed, 50),
        percentile(tpotServed, 99), percentile(e2eServed, 50),
        makespan > 0 ? outputTokens / (makespan / 1000) : 0,
        steps, preemptions, makespan, shed);
  }

  /**
   * Percentile of sorted values with linear interpolation (numpy's default); NaN if empty.
   * Infinite values (unserved requests) sort last; a rank that reaches them is infinite.
   */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double fraction = rank - lo;
    if (fraction == 0 || sorted[lo] == sorted[hi]) {
      return sorted[lo];
    }
    return sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
  }
}
