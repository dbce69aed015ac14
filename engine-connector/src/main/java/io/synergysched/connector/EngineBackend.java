package io.synergysched.connector;

import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.LensHint;
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
   * Applies a LENS hint to the engine's batch scheduler; null returns it to its defaults (also what
   * the backend does itself once a hint's {@code validUntilMs} has passed). Backends that cannot
   * steer their scheduler ignore hints.
   */
  default void applyHint(LensHint hint) {}

  /** True while the engine serves requests. */
  boolean isHealthy();

  /** Stops the engine; requests still in flight are reported REJECTED with the reason. */
  @Override
  void close();
}
