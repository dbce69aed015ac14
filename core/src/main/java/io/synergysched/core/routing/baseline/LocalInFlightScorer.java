package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutedInFlightCounts;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.ScoreNormalization;
import io.synergysched.core.setting.Settings;
import io.synergysched.core.telemetry.RequestObservation;
import java.util.List;

/**
 * Envoy's and nginx's least-request: the balancer's own count of requests it sent to each engine
 * that have not completed, incremented when it routes and decremented when the response ends (it
 * sits in the response path, so the count is never stale). Min-max normalized.
 */
public final class LocalInFlightScorer implements CandidateScorer {

  public static final String TYPE = "least-request-local";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();
  private final RoutedInFlightCounts inFlight = new RoutedInFlightCounts();
  private double[] load = new double[16];

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean observesEngines() {
    return true;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    int m = c.size();
    if (load.length < m) {
      load = new double[Math.max(m, load.length * 2)];
    }
    for (int k = 0; k < m; k++) {
      load[k] = inFlight.of(c.engineAt(k));
    }
    ScoreNormalization.lessIsBetter(load, m, scores);
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine != Router.SHED) {
      inFlight.routed(engine);
    }
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    inFlight.responded(engine, event);
  }

  /** Current in-flight count of {@code engine}, for tests. */
  public int inFlight(int engine) {
    return inFlight.of(engine);
  }
}
