package io.synergysched.simulator.cluster;

import io.synergysched.core.routing.Router;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.engine.EngineListener;
import java.util.ArrayDeque;

/**
 * Carries what the engines report to a router that observes them: responses (first token,
 * completion, rejection) at once, as a proxy in the response path sees them, and step reports and
 * request events after the telemetry delay, as the metrics pipeline delivers them. Reports are
 * produced in time order (the simulation processes events in time order), so one FIFO holds them
 * all. Single-threaded.
 */
final class RouterFeed {

  private record Pending(double timeMs, int engine, StepObservation step, RequestObservation event) {}

  private final Router router;
  private final double stalenessMs;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  RouterFeed(Router router, double stalenessMs) {
    this.router = router;
    this.stalenessMs = stalenessMs;
  }

  /** A listener for engine {@code index} that feeds the router and then {@code downstream} (may be null). */
  EngineListener listener(int index, EngineListener downstream) {
    return new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        queue.addLast(new Pending(step.startTimeMs() + step.durationUs() / 1000.0, index, step, null));
        if (downstream != null) {
          downstream.onStep(step);
        }
      }

      @Override
      public void onRequestEvent(RequestObservation event) {
        RequestPhase type = event.type();
        if (type == RequestPhase.FIRST_TOKEN || type == RequestPhase.FINISHED
            || type == RequestPhase.REJECTED) {
          router.onResponse(index, event);
        }
        queue.addLast(new Pending(event.timeMs(), index, null, event));
        if (downstream != null) {
          downstream.onRequestEvent(event);
        }
      }
    };
  }

  /** Delivers every report made at or before {@code nowMs - staleness}. */
  void advanceTo(double nowMs) {
    double horizon = nowMs - stalenessMs;
    while (!queue.isEmpty() && queue.peekFirst().timeMs() <= horizon) {
      Pending p = queue.pollFirst();
      if (p.step() != null) {
        router.onStepVisible(p.engine(), p.step());
      } else {
        router.onRequestEventVisible(p.engine(), p.event());
      }
    }
  }
}
