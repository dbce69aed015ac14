package io.synergysched.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling it, up to a deadline, so tests wait on state and never on a
 * fixed sleep. On timeout it fails naming what it waited for.
 */
public final class Await {

  private static final long POLL_MILLIS = 50;

  private Await() {}

  /**
   * Polls {@code condition} every 50 ms until it holds.
   *
   * @throws AssertionError naming {@code what} when {@code limit} passes first
   */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
