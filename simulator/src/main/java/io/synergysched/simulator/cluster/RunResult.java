package io.synergysched.simulator.cluster;

/**
 * Outcome of one cluster run. Every statistic is over all the trace's requests: a request that was
 * shed (by the router or a scheduler) or rejected is an SLO miss in every attainment, and counts as
 * infinitely late in the latency percentiles ({@code ttftP50Ms} ... {@code e2eP50Ms}, so they are
 * infinite once more than that share went unserved); the {@code served*} percentiles beside them
 * are over the served (finished) requests only. Percentiles interpolate linearly, as numpy's.
 *
 * @param requests requests in the trace
 * @param rejected requests the engines rejected (too long for the model or the KV cache, or shed
 *     by their scheduler's triage)
 * @param sloAttainment share of all requests meeting both TTFT and TPOT targets
 * @param ttftAttainment share of all requests meeting the TTFT target
 * @param tpotAttainment share of all requests meeting the TPOT target
 * @param ttftP50Ms median TTFT over all requests, an unserved one as +infinity, ms
 * @param servedTtftP50Ms median TTFT over the served requests, ms (NaN when none was served)
 * @param throughputTokS output tokens per second from the first arrival to the last finish
 * @param shed requests the router shed (admission control, including held requests it gave up
 *     on); misses, not counted in rejected
 * @param triage what the engines' schedulers deferred and shed (their shed requests are in
 *     rejected; a shed request that was retried counts by its last attempt)
 * @param retries attempts to route a shed request again (scenario key {@code shed_retries}),
 *     of which {@code retriesRouted} still had TTFT budget left and were routed, and requests
 *     that met both targets after a retry ({@code retriesInSlo})
 * @param held requests the router held at least once (offered again later), of which
 *     {@code heldRouted} it placed on an engine in the end
 */
public record RunResult(
    int requests,
    int rejected,
    double sloAttainment,
    double ttftAttainment,
    double tpotAttainment,
    double ttftP50Ms,
    double ttftP99Ms,
    double tpotP50Ms,
    double tpotP99Ms,
    double e2eP50Ms,
    double servedTtftP50Ms,
    double servedTtftP99Ms,
    double servedTpotP50Ms,
    double servedTpotP99Ms,
    double servedE2eP50Ms,
    double throughputTokS,
    long steps,
    long preemptions,
    double makespanMs,
    int shed,
    SchedulerTriage triage,
    int retries,
    int retriesRouted,
    int retriesInSlo,
    int held,
    int heldRouted) {

  /** A result without scheduler triage, retries or holds (they are added by the {@code with} methods). */
  public RunResult(int requests, int rejected, double sloAttainment, double ttftAttainment,
      double tpotAttainment, double ttftP50Ms, double ttftP99Ms, double tpotP50Ms, double tpotP99Ms,
      double e2eP50Ms, double servedTtftP50Ms, double servedTtftP99Ms, double servedTpotP50Ms,
      double servedTpotP99Ms, double servedE2eP50Ms, double throughputTokS, long steps, long preemptions,
      double makespanMs, int shed) {
    this(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms, ttftP99Ms,
        tpotP50Ms, tpotP99Ms, e2eP50Ms, servedTtftP50Ms, servedTtftP99Ms, servedTpotP50Ms, servedTpotP99Ms,
        servedE2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed, SchedulerTriage.NONE, 0, 0, 0, 0, 0);
  }

  public RunResult withTriage(SchedulerTriage counts) {
    return new RunResult(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms,
        ttftP99Ms, tpotP50Ms, tpotP99Ms, e2eP50Ms, servedTtftP50Ms, servedTtftP99Ms, servedTpotP50Ms,
        servedTpotP99Ms, servedE2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed,
        counts, retries, retriesRouted, retriesInSlo, held, heldRouted);
  }

  public RunResult withRetries(int attempts, int routed, int inSlo) {
    return new RunResult(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms,
        ttftP99Ms, tpotP50Ms, tpotP99Ms, e2eP50Ms, servedTtftP50Ms, servedTtftP99Ms, servedTpotP50Ms,
        servedTpotP99Ms, servedE2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed,
        triage, attempts, routed, inSlo, held, heldRouted);
  }

  public RunResult withHolds(int heldRequests, int routed) {
    return new RunResult(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms,
        ttftP99Ms, tpotP50Ms, tpotP99Ms, e2eP50Ms, servedTtftP50Ms, servedTtftP99Ms, servedTpotP50Ms,
        servedTpotP99Ms, servedE2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed,
        triage, retries, retriesRouted, retriesInSlo, heldRequests, routed);
  }
}
