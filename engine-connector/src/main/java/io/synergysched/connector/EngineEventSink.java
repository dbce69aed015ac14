package io.synergysched.connector;

import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.StepTelemetry;

/**
 * Where an {@link EngineBackend} reports: per-step telemetry and request lifecycle events, in the
 * Avro form they take on the topics. Implementations are thread-safe and never block the engine
 * (the Kafka publisher buffers up to a bound and counts what it drops).
 */
public interface EngineEventSink {

  /** One completed engine step. */
  void onStep(StepTelemetry step);

  /** One change in a request's life on the engine. */
  void onRequestEvent(RequestEvent event);
}
