package io.synergysched.core.routing;

import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.Arrays;

/**
 * A balancer's own count of the requests it sent to each engine that have not ended: one more when
 * it routes there, one less (never below 0) when the response path sees the request finish or be
 * rejected. Never stale, as Envoy's least-request and SGLang's router count. Each plugin that keeps
 * such a count owns one; single-threaded (the router's thread).
 */
public final class RoutedInFlightCounts {

  private int[] inFlight = new int[16];

  /** A request was placed on {@code engine} (an index, never {@link Router#SHED}). */
  public void routed(int engine) {
    ensure(engine + 1);
    inFlight[engine]++;
  }

  /** A response event of a request on {@code engine}; only FINISHED and REJECTED end it. */
  public void responded(int engine, RequestObservation event) {
    if (event.type() == RequestPhase.FINISHED || event.type() == RequestPhase.REJECTED) {
      ensure(engine + 1);
      inFlight[engine] = Math.max(0, inFlight[engine] - 1);
    }
  }

  /** Requests in flight on {@code engine}, &gt;= 0 (0 for an engine never routed to). */
  public int of(int engine) {
    return engine < inFlight.length ? inFlight[engine] : 0;
  }

  private void ensure(int n) {
    if (inFlight.length < n) {
      inFlight = Arrays.copyOf(inFlight, Math.max(n, inFlight.length * 2));
    }
  }
}
