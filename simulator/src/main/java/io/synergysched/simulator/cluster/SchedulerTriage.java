package io.synergysched.simulator.cluster;

import io.synergysched.simulator.engine.SimRequest;
import io.synergysched.simulator.engine.SimulatedEngine;

/**
 * What the engines' schedulers did with requests they could not serve in time, so a goodput won
 * by triage is never mistaken for capacity. Every deferred request ends either served (late, or in
 * time if the deferral was lifted) or shed; shed requests are also counted in
 * {@link RunResult#rejected()}.
 *
 * @param deferred requests a scheduler deprioritised at least once because they could not meet
 *     their TTFT (0 for static schedulers)
 * @param deferredServed of those, requests that were served in the end
 * @param deferredServedInSlo of those served, requests that still met both targets
 * @param shed requests a scheduler shed: the engine answered them with a rejection carrying a
 *     retry hint (a deployment's 429/503 with Retry-After) after they waited past the shed limit
 */
public record SchedulerTriage(long deferred, long deferredServed, long deferredServedInSlo, long shed) {

  public static final SchedulerTriage NONE = new SchedulerTriage(0, 0, 0, 0);

  /** Counts over the finished run; {@code requests} may hold nulls for requests never submitted. */
  static SchedulerTriage of(SimRequest[] requests, SimulatedEngine[] engines, SloTargets slo) {
    boolean any = false;
    for (SimulatedEngine e : engines) {
      any |= e.scheduler().deferredRequests() > 0 || e.scheduler().shedRequests() > 0;
    }
    if (!any) {
      return NONE;
    }
    long deferred = 0;
    long served = 0;
    long inSlo = 0;
    long shed = 0;
    for (SimRequest r : requests) {
      if (r == null) {
        continue;
      }
      shed += r.wasShed() ? 1 : 0;
      boolean wasDeferred = false;
      for (SimulatedEngine e : engines) {
        if (e.scheduler().wasDeferred(r.requestId())) {
          wasDeferred = true;
          break;
        }
      }
      if (!wasDeferred) {
        continue;
      }
      deferred++;
      if (r.isFinished()) {
        served++;
        double ttft = r.firstTokenTimeMs() - r.arrivalTimeMs();
        double tpot = r.outputTokens() > 1
            ? (r.finishTimeMs() - r.firstTokenTimeMs()) / (r.outputTokens() - 1) : 0;
        boolean ok = ttft <= (Double.isNaN(r.sloTtftMs()) ? slo.ttftMs() : r.sloTtftMs())
            && tpot <= (Double.isNaN(r.sloTpotMs()) ? slo.tpotMs() : r.sloTpotMs());
        inSlo += ok ? 1 : 0;
      }
    }
    return new SchedulerTriage(deferred, served, inSlo, shed);
  }
}
