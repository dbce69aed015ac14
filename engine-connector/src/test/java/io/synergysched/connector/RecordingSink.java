package io.synergysched.connector;

import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.StepTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps what a backend reports; tests wait on it with a deadline, never with sleeps. */
public final class RecordingSink implements EngineEventSink {

  private final List<RequestEvent> events = new ArrayList<>();
  private final List<StepTelemetry> steps = new ArrayList<>();

  @Override
  public synchronized void onStep(StepTelemetry step) {
    steps.add(step);
    notifyAll();
  }

  @Override
  public synchronized void onRequestEvent(RequestEvent event) {
    events.add(event);
    notifyAll();
  }

  public synchronized List<RequestEvent> events(String requestId) {
    return events.stream().filter(e -> e.getRequestId().equals(requestId)).toList();
  }

  public synchronized List<RequestEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<StepTelemetry> steps() {
    return List.copyOf(steps);
  }

  /** The request's events once it has its terminal one (FINISHED or REJECTED). */
  public List<RequestEvent> awaitTerminal(String requestId, Duration timeout) throws InterruptedException {
    await(() -> events.stream().anyMatch(e -> e.getRequestId().equals(requestId)
        && (e.getType() == RequestEventType.FINISHED || e.getType() == RequestEventType.REJECTED)),
        timeout, "terminal event of " + requestId);
    return events(requestId);
  }

  public List<StepTelemetry> awaitSteps(int n, Duration timeout) throws InterruptedException {
    await(() -> steps.size() >= n, timeout, n + " steps");
    return steps();
  }

  private synchronized void await(BooleanCondition condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out waiting for " + what + "; events so far: " + events);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @FunctionalInterface
  private interface BooleanCondition {
    boolean holds();
  }

  public static Predicate<RequestEvent> ofType(RequestEventType type) {
    return e -> e.getType() == type;
  }
}
