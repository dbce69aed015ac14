package io.synergysched.core.lens;

import java.util.ArrayDeque;

/**
 * Hints that reach the engine a fixed delay after they were planned, the way a deployment's hints
 * travel telemetry topic, trainer, planner and control topic before the engine sees them. Later
 * publications supersede earlier ones once visible (a compacted topic keeps only the latest).
 * Single-threaded; publishing allocates a queue entry, reading does not.
 */
public final class DelayedLensHintFeed implements LensHintSource {

  private record Pending(double visibleAtMs, LensPlan hint) {}

  private final double delayMs;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private LensPlan visible;

  /** @param delayMs time from planning to arrival at the engine, ms, &gt;= 0 */
  public DelayedLensHintFeed(double delayMs) {
    if (!(delayMs >= 0)) {
      throw new IllegalArgumentException("hint delay must be >= 0 ms, got " + delayMs);
    }
    this.delayMs = delayMs;
  }

  /** Sends {@code hint}, planned at {@code nowMs} (non-decreasing); it arrives after the delay. */
  public void publish(LensPlan hint, double nowMs) {
    inFlight.addLast(new Pending(nowMs + delayMs, hint));
  }

  @Override
  public LensPlan current(double nowMs) {
    while (!inFlight.isEmpty() && inFlight.peekFirst().visibleAtMs() <= nowMs) {
      visible = inFlight.pollFirst().hint();
    }
    return visible;
  }
}
