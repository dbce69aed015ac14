package io.synergysched.runtime.records;

import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.core.telemetry.StepObservationValidator;

/**
 * What makes a {@link io.synergysched.schemas.StepTelemetry} record usable: its step is plausible
 * ({@link StepObservationValidator}, the core's rules) and the record is keyed by the engine that
 * stepped. The model-trainer dead-letters a step that breaks them; the router skips it. Checked on
 * the step's core form, which both readers build anyway. Thread-safe.
 */
public final class StepTelemetryRules {

  private StepTelemetryRules() {}

  /**
   * @param key the record's key, or null
   * @param step the record mapped to its core form, not null
   * @return the first reason the step cannot teach a model, or null
   */
  public static String problem(String key, StepObservation step) {
    String problem = StepObservationValidator.problem(step);
    return problem != null ? problem : EngineKeyedRecords.keyProblem(key, step.engineId(), "step");
  }
}
