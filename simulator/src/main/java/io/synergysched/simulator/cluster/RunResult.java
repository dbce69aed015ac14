package io.synergysched.simulator.cluster;

/**
 * Outcome of one cluster run. Latency percentiles cover finished requests (linear interpolation,
 * as numpy); attainment counts rejected requests as misses.
 *
 * @param requests requests in the trace
 * @param sloAttainment share meeting both TTFT and TPOT targets
 * @param throughputTokS output tokens per second from the first arrival to the last finish
 * @param rejected requests the engines rejected (too long for the model or the KV cache)
 * @param shed requests the router shed (admission control); misses, not counted in rejected
 * @param triage what the engines' schedulers deferred and shed (their shed requests are in
 *     rejected; a shed request that was retried counts by its last attempt)
 * @param retries attempts to route a shed request again (scenario key {@code shed_retries}),
 *     of which {@code retriesRouted} still had TTFT budget left and were routed, and requests
 *     that met both targets after a retry ({@code retriesInSlo})
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
    double throughputTokS,
    long steps,
    long preemptions,
    double makespanMs,
    int shed,
    SchedulerTriage triage,
    int retries,
    int retriesRouted,
    int retriesInSlo) {

  /** A result without scheduler triage (static schedulers). */
  public RunResult(int requests, int rejected, double sloAttainment, double ttftAttainment,
      double tpotAttainment, double ttftP50Ms, double ttftP99Ms, double tpotP50Ms, double tpotP99Ms,
      double e2eP50Ms, double throughputTokS, long steps, long preemptions, double makespanMs, int shed) {
    this(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms, ttftP99Ms,
        tpotP50Ms, tpotP99Ms, e2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed,
        SchedulerTriage.NONE, 0, 0, 0);
  }

  public RunResult withTriage(SchedulerTriage counts) {
    return new RunResult(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms,
        ttftP99Ms, tpotP50Ms, tpotP99Ms, e2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed,
        counts, retries, retriesRouted, retriesInSlo);
  }

  public RunResult withRetries(int attempts, int routed, int inSlo) {
    return new RunResult(requests, rejected, sloAttainment, ttftAttainment, tpotAttainment, ttftP50Ms,
        ttftP99Ms, tpotP50Ms, tpotP99Ms, e2eP50Ms, throughputTokS, steps, preemptions, makespanMs, shed,
        triage, attempts, routed, inSlo);
  }
}
