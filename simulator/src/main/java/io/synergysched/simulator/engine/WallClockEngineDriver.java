package io.synergysched.simulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a {@link SimulatedEngine} on the wall clock, sped up by a factor: a step whose profiled
 * duration is {@code d} ms ends {@code d / speed} ms of real time after it started, so a live
 * system (the engine-connector) sees an engine that behaves in time as a real one would.
 *
 * <p>The engine's virtual time is {@code (now - start) * speed}: engine time in milliseconds, as
 * all its records report it. Requests are handed over from any thread with {@link #submit}; they
 * join the engine at the virtual time they are taken up, so a request arriving during a step
 * waits for the next one, as in vLLM. The engine and its listener run on the driver's own thread.
 */
public final class WallClockEngineDriver implements AutoCloseable {

  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final SimulatedEngine engine;
  private final double speed;
  private final LongSupplier nanoClock;
  private final LinkedBlockingQueue<SimRequest> arrivals = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile long startNanos;

  /**
   * @param speed real-time speed-up, &gt; 0 (1 = real time, 10 = ten times faster)
   * @param nanoClock monotonic clock in nanoseconds, usually {@code System::nanoTime}
   */
  public WallClockEngineDriver(SimulatedEngine engine, double speed, LongSupplier nanoClock) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive finite factor, was " + speed);
    }
    this.engine = engine;
    this.speed = speed;
    this.nanoClock = nanoClock;
    this.thread = new Thread(this::run, "engine-" + engine.engineId());
    this.thread.setDaemon(true);
  }

  /** Starts the engine's clock and thread. */
  public void start() {
    startNanos = nanoClock.getAsLong();
    thread.start();
  }

  /** Hands a request to the engine; thread-safe, never blocks. */
  public void submit(SimRequest request) {
    if (!running) {
      throw new IllegalStateException("engine " + engine.engineId() + " is stopped");
    }
    arrivals.add(request);
  }

  /** The engine's current virtual time, ms since {@link #start()}. */
  public double virtualNowMs() {
    return (nanoClock.getAsLong() - startNanos) / 1e6 * speed;
  }

  /** The failure that stopped the engine's thread, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Stops the engine after the step in flight; requests still queued are dropped with it. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<SimRequest> taken = new ArrayList<>();
    try {
      while (running) {
        double now = virtualNowMs();
        // steps that ended by now come first, so an arrival never joins a step that began before it
        while (engine.stepEndMs() <= now) {
          engine.finishStep();
        }
        arrivals.drainTo(taken);
        for (SimRequest request : taken) {
          engine.submit(request, now);
        }
        taken.clear();
        double end = engine.stepEndMs();
        long waitNanos = end == Double.POSITIVE_INFINITY
            ? IDLE_WAIT_NANOS
            : Math.max(1, (long) ((end - now) / speed * 1e6));
        SimRequest next = arrivals.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (next != null) {
          taken.add(next);
        }
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException | Error e) {
      failure = e;
      running = false;
    }
  }
}
