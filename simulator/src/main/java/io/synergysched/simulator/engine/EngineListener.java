package io.synergysched.simulator.engine;

import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;

/**
 * Receives what an engine reports. Called on the engine's thread, synchronously, after each step
 * and at each request event; records are created only when a listener is attached.
 */
public interface EngineListener {

  default void onStep(StepObservation step) {}

  default void onRequestEvent(RequestObservation event) {}
}
