package io.synergysched.core.scheduling;

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
}
