package io.synergysched.core.telemetry;

/** The moments of a request's life an engine reports. */
public enum RequestPhase {
  /** Entered the engine's waiting queue. */
  QUEUED,
  /** First output token produced (TTFT). */
  FIRST_TOKEN,
  /** Last output token produced; its KV blocks are released. */
  FINISHED,
  /** Evicted by recompute; back at the front of the waiting queue. */
  PREEMPTED,
  /** Can never be served here (longer than the model's context or the whole KV cache). */
  REJECTED
}
