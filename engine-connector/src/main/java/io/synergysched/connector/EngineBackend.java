package io.synergysched.connector;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.RoutedRequest;

/**
 * One engine behind the engine-connector: the simulator's engine on the wall clock, or a real
 * vLLM server. The connector feeds it the requests routed to it and publishes what it reports.
 *
 * <p>Threads: {@link #submit} and {@link #applyHint} may be called from any thread and must not
 * block on the engine's work; the backend reports through the {@link EngineEventSink} from its
 * own threads.
 */
public interface EngineBackend extends AutoCloseable {

  /** The engine's id, the key of its records on every topic; never null. */
  String engineId();

  /** What the engine is, for the registry topic, with {@code heartbeatMs} as given. */
  EngineDescriptor descriptor(long heartbeatMs);

  /** Starts serving; from now on events go to {@code sink}. Called once. */
  void start(EngineEventSink sink);

  /**
   * Hands over a request routed to this engine. Never blocks. A request the engine cannot take
   * (too long for its context, engine stopped) is reported as a REJECTED request event, not thrown.
   */
  void submit(RoutedRequest request);

  /**
   * Hands a LENS hint from the control topic to the engine's batch scheduler; null returns it to its
   * safe defaults. The hint's times are epoch ms on the planner's clock; once {@code validUntilMs}
   * has passed the scheduler falls back to its defaults by itself. Never blocks.
   *
   * @return true when the engine's scheduler takes the hint; false when this backend cannot steer
   *     its scheduler (it ignores hints) or the hint is older than the one it holds
   */
  default boolean applyHint(LensPlan hint) {
    return false;
  }

  /**
   * The LENS hint the engine's latest step ran with, or null when it ran on its scheduler's
   * defaults (not a LENS engine, no hint yet, or the last one expired). Its versions are the
   * planner's; its times may be on the engine's clock.
   */
  default LensPlan appliedHint() {
    return null;
  }

  /** True while the engine serves requests. */
  boolean isHealthy();

  /** Stops the engine; requests still in flight are reported REJECTED with the reason. */
  @Override
  void close();
}
