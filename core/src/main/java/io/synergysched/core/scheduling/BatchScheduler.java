package io.synergysched.core.scheduling;

import io.synergysched.core.telemetry.StepObservation;

/**
 * Decides each engine step's batch: which running requests advance, which waiting ones are
 * admitted, and how many tokens each gets. Implementations are stateless or keep only their own
 * policy state; the engine calls {@link #schedule} once per step from a single thread.
 */
public interface BatchScheduler {

  /** Registry name, kebab-case (e.g. {@code vllm-default}). */
  String name();

  /** Upper bound on tokens per step this scheduler applies, tokens (reported in telemetry). */
  int tokenBudget();

  /** Upper bound on running sequences. */
  int maxNumSeqs();

  /**
   * Fills the step through {@code context}'s actions. Scheduling nothing is allowed (the engine
   * then idles until the next arrival).
   */
  void schedule(SchedulingContext context);

  /**
   * Whether the engine should report each completed step through {@link #onStepCompleted}
   * (building the observation costs an allocation per step, so only schedulers that learn ask).
   */
  default boolean wantsStepFeedback() {
    return false;
  }

  /**
   * The step this scheduler planned has completed; {@code step} is what the engine measured
   * (never null). Called on the engine's thread, after the step and before the next
   * {@link #schedule}. Default: ignored.
   */
  default void onStepCompleted(StepObservation step) {}

  /** Requests this scheduler deprioritised at least once because they could not meet their TTFT. */
  default long deferredRequests() {
    return 0;
  }

  /** Whether request {@code requestId} was ever deferred by this scheduler. */
  default boolean wasDeferred(long requestId) {
    return false;
  }

  /** Requests this scheduler shed (rejected with a retry hint) through {@link SchedulingContext#shedWaiting}. */
  default long shedRequests() {
    return 0;
  }
}
