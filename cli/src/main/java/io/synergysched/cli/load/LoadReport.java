package io.synergysched.cli.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The accounting of one load run, by request id, from the records themselves.
 *
 * @param in requests the broker acknowledged (plus any other id of the run seen on a topic)
 * @param routed requests with a routed record
 * @param shed requests the router decided to shed (a SHED decision: accounted, not lost)
 * @param finished requests an engine reported FINISHED
 * @param rejected requests an engine reported REJECTED and did not finish (reported, not lost)
 * @param servedAfterRejection requests an engine reported REJECTED that were then served anyway
 *     (re-read after a restart) and finished once
 * @param deadLettered requests dead-lettered with a reason
 * @param duplicated requests with more than one routed record, decision, terminal event (FINISHED
 *     or REJECTED) or dead letter
 * @param lost requests with no end: no decision and no dead letter, or routed and never
 *     finished nor rejected
 * @param producerFailures requests the producer gave up on (the client saw the failure)
 * @param p50Ms routing latency percentiles and maximum (ms), arrival to routed record visible
 * @param seconds how long the load ran
 * @param recoveryMs after a fault: how long routing latency stayed at or above the recovery
 *     threshold (0 when it never did), -1 without a fault
 * @param maxLatencyAfterFaultMs the worst routing latency seen after the fault, -1 without one
 * @param deadLettersByStage dead letters per stage that wrote them
 * @param shedReasons shed decisions per reason
 * @param lostIds up to ten lost ids, to look at
 * @param duplicatedIds up to ten duplicated ids
 * @param undecodable records on the watched topics the ledger could not decode
 */
public record LoadReport(
    long in,
    long routed,
    long shed,
    long finished,
    long rejected,
    long servedAfterRejection,
    long deadLettered,
    long duplicated,
    long lost,
    long producerFailures,
    long p50Ms,
    long p99Ms,
    long maxMs,
    double seconds,
    long recoveryMs,
    long maxLatencyAfterFaultMs,
    Map<String, Long> deadLettersByStage,
    Map<String, Long> shedReasons,
    List<String> lostIds,
    List<String> duplicatedIds,
    long undecodable) {

  /** Routed requests per second of load. */
  public double routedPerSecond() {
    return seconds > 0 ? routed / seconds : 0;
  }

  /** A few lines for a terminal. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "requests in %d, routed %d (%.0f/s), shed %d, finished %d, rejected by engines %d,"
            + " dead-lettered %d, duplicated %d, lost %d%n",
        in, routed, routedPerSecond(), shed, finished, rejected, deadLettered, duplicated, lost));
    if (servedAfterRejection > 0) {
      s.append("served after an engine reported them REJECTED: ").append(servedAfterRejection)
          .append('\n');
    }
    s.append(String.format(Locale.ROOT,
        "routing latency (arrival to routed record visible): p50 %d ms, p99 %d ms, max %d ms%n",
        p50Ms, p99Ms, maxMs));
    if (producerFailures > 0) {
      s.append("producer gave up on ").append(producerFailures).append(" requests\n");
    }
    if (recoveryMs >= 0) {
      s.append(String.format(Locale.ROOT, "recovery %d ms (worst latency after the fault %d ms)%n",
          recoveryMs, maxLatencyAfterFaultMs));
    }
    shedReasons.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
        .forEach(e -> s.append("shed ").append(e.getValue()).append(": ").append(e.getKey())
            .append('\n'));
    deadLettersByStage.forEach((stage, n) -> s.append("dead letters from ").append(stage)
        .append(": ").append(n).append('\n'));
    if (!lostIds.isEmpty()) {
      s.append("lost, e.g. ").append(lostIds).append('\n');
    }
    if (!duplicatedIds.isEmpty()) {
      s.append("duplicated, e.g. ").append(duplicatedIds).append('\n');
    }
    return s.toString();
  }
}
