package io.synergysched.simulator.scenario;

import io.synergysched.core.telemetry.StepObservation;

/**
 * Where recorded step telemetry goes ({@code record_telemetry: true}). The Avro file writer lives
 * in the launcher module, which may depend on the Avro schemas; the simulator stays free of them.
 * Called from the simulation thread only.
 */
public interface StepTelemetrySink extends AutoCloseable {

  /**
   * @param run label of the run, {@code router/scheduler/rate_scale}
   */
  void write(String run, StepObservation step);

  @Override
  void close();
}
