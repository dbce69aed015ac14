package io.synergysched.core.telemetry;

/**
 * Says why a step's telemetry cannot be true, so the record can be dead-lettered with the reason
 * instead of teaching a model nonsense. Allocation-free when the step is plausible. Thread-safe.
 */
public final class StepObservationValidator {

  /** Longer than any real step; a value above it is a unit error or a stuck clock. */
  public static final long MAX_DURATION_US = 600_000_000L;

  /**
   * More tokens than any engine batches in one step (prefill tokens, decoding sequences): 2^21.
   * Also keeps the squared-chunk arithmetic below far from overflow.
   */
  public static final long MAX_STEP_TOKENS = 1L << 21;

  /** Longer than any model's context window (tokens per sequence): 2^23. */
  public static final long MAX_CONTEXT_TOKENS = 1L << 23;

  /** More requests than any engine queues or runs at once. */
  public static final long MAX_QUEUE = 10_000_000L;

  private StepObservationValidator() {}

  /** The first reason {@code step} is implausible, or null when it is plausible. */
  public static String problem(StepObservation step) {
    if (step.engineId() == null || step.engineId().isBlank()) {
      return "engineId is empty";
    }
    if (step.stepIndex() < 0) {
      return "stepIndex is negative: " + step.stepIndex();
    }
    if (step.durationUs() <= 0) {
      return "durationUs must be positive, was " + step.durationUs();
    }
    if (step.durationUs() > MAX_DURATION_US) {
      return "durationUs " + step.durationUs() + " exceeds " + MAX_DURATION_US + " (10 minutes)";
    }
    if (step.prefillTokens() < 0
        || step.prefillChunks() < 0
        || step.prefillChunkSqSum() < 0
        || step.prefillCachedContext() < 0
        || step.prefillChunkContextProduct() < 0
        || step.decodeSeqs() < 0
        || step.decodeContextSum() < 0
        || step.kvBlocksUsed() < 0
        || step.kvBlocksTotal() < 0
        || step.waiting() < 0
        || step.running() < 0
        || step.preemptions() < 0
        || step.tokenBudget() < 0) {
      return "a count is negative: " + step;
    }
    if (step.prefillTokens() > MAX_STEP_TOKENS || step.decodeSeqs() > MAX_STEP_TOKENS) {
      return "more than " + MAX_STEP_TOKENS + " prefill tokens or decoding sequences in one step"
          + " (prefillTokens " + step.prefillTokens() + ", decodeSeqs " + step.decodeSeqs() + ")";
    }
    if (step.decodeContextSum() > step.decodeSeqs() * MAX_CONTEXT_TOKENS
        || step.prefillCachedContext() > step.prefillChunks() * MAX_CONTEXT_TOKENS) {
      return "contexts longer than " + MAX_CONTEXT_TOKENS + " tokens per sequence";
    }
    if (step.waiting() > MAX_QUEUE || step.running() > MAX_QUEUE || step.preemptions() > MAX_QUEUE) {
      return "queue counts beyond " + MAX_QUEUE + " (waiting " + step.waiting() + ", running "
          + step.running() + ", preemptions " + step.preemptions() + ")";
    }
    if (step.totalTokens() <= 0) {
      return "the step processed no tokens (no prefill and no decodes)";
    }
    if ((step.prefillTokens() == 0) != (step.prefillChunks() == 0)) {
      return "prefillTokens " + step.prefillTokens() + " and prefillChunks " + step.prefillChunks()
          + " disagree about whether the step prefilled";
    }
    if (step.prefillChunks() > step.prefillTokens()) {
      return "more prefill chunks (" + step.prefillChunks() + ") than prefill tokens ("
          + step.prefillTokens() + ")";
    }
    // The squares of k positive parts of n sum to between n^2/k and n^2.
    long tokens = step.prefillTokens();
    long upper = tokens * tokens;
    long lower = step.prefillChunks() == 0 ? 0 : upper / step.prefillChunks();
    if (step.prefillChunkSqSum() < lower || step.prefillChunkSqSum() > upper) {
      return "prefillChunkSqSum " + step.prefillChunkSqSum() + " is impossible for "
          + step.prefillChunks() + " chunks of " + tokens + " tokens (must lie in [" + lower + ", "
          + upper + "])";
    }
    if (step.kvBlocksUsed() > step.kvBlocksTotal()) {
      return "kvBlocksUsed " + step.kvBlocksUsed() + " exceeds kvBlocksTotal " + step.kvBlocksTotal();
    }
    if (step.decodeSeqs() > 0 && step.decodeContextSum() < step.decodeSeqs()) {
      return "decodeContextSum " + step.decodeContextSum() + " is less than one token per decode ("
          + step.decodeSeqs() + " decodes)";
    }
    return null;
  }
}
