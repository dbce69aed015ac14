package io.synergysched.connector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a restarting engine-connector must recover, decided from what the topics say (pure; the
 * Kafka reading is {@link InFlightRecovery}).
 *
 * <p>A request routed to one of the connector's engines, within the look-back window, is
 *
 * <ul>
 *   <li><b>ended</b> when the request-events topic holds a terminal event for it (FINISHED or
 *       REJECTED): nothing to do, and the routed-request reader must not serve it again if it
 *       reads its record once more (a record past the committed offset, handed over by the
 *       previous run before it could commit);
 *   <li><b>in flight</b> (to recover) when it has no terminal event and its record lies below the
 *       group's committed offset: a previous run handed it to an engine and died before the engine
 *       finished it, and the reader will never read it again;
 *   <li>left to the reader otherwise (no terminal event, at or past the committed offset): the
 *       reader reads it again and serves it, once.
 * </ul>
 *
 * <p>Each request id is decided once (the router routes a request exactly once; a second record
 * for the same id would be recovered only once).
 */
public final class InFlightSelection {

  /**
   * One routed record of the connector's engines.
   *
   * @param requestId the request's id
   * @param partition the record's partition of the routed topic
   * @param offset the record's offset
   */
  public record Routed(String requestId, int partition, long offset) {}

  /**
   * The decision.
   *
   * @param inFlight request ids to fail over or report, in the order of {@code routed}
   * @param endedAhead ids at or past the committed offset that already ended: the reader skips them
   */
  public record Plan(List<String> inFlight, Set<String> endedAhead) {}

  private InFlightSelection() {}

  /**
   * @param routed the routed records of the connector's engines in the look-back window
   * @param committed the group's committed offset per partition of the routed topic; a partition
   *     without one was never read by a previous run (nothing of it is recovered)
   * @param ended ids with a terminal event
   */
  public static Plan select(
      Collection<Routed> routed, Map<Integer, Long> committed, Set<String> ended) {
    Set<String> inFlight = new LinkedHashSet<>();
    Set<String> endedAhead = new HashSet<>();
    for (Routed r : routed) {
      Long next = committed.get(r.partition());
      boolean handedOver = next != null && r.offset() < next;
      if (ended.contains(r.requestId())) {
        if (!handedOver) {
          endedAhead.add(r.requestId());
        }
      } else if (handedOver) {
        inFlight.add(r.requestId());
      }
    }
    return new Plan(new ArrayList<>(inFlight), endedAhead);
  }
}
