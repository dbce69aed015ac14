package io.synergysched.core.model.predict;

import java.util.List;
import java.util.Objects;

/**
 * What an engine is doing now, as the performance predictions need it. Plain values; the engine
 * state store and the router build it from telemetry plus the requests sent since.
 *
 * @param queue prefill work in service order (running chunked prefills first, then waiting
 *     requests); never null, copied
 * @param runningDecodes sequences decoding now, &gt;= 0
 * @param decodeContextSum summed context of those decodes, tokens, &gt;= 0
 * @param tokenBudget tokens per step (decodes take one each, prefill chunks the rest), &gt; 0
 * @param meanRemainingOutputTokens average tokens a decode still generates, used to let decodes
 *     finish while the queue drains; 0 means decodes never finish (conservative)
 * @param currentStepRemainingUs time until the step in flight ends, microseconds, &gt;= 0
 */
public record EngineLoad(
    List<PendingPrefill> queue,
    int runningDecodes,
    long decodeContextSum,
    int tokenBudget,
    double meanRemainingOutputTokens,
    double currentStepRemainingUs) {

  public EngineLoad {
    queue = List.copyOf(Objects.requireNonNull(queue, "queue"));
    if (runningDecodes < 0 || decodeContextSum < 0) {
      throw new IllegalArgumentException("runningDecodes and decodeContextSum must be >= 0");
    }
    if (tokenBudget <= 0) {
      throw new IllegalArgumentException("tokenBudget must be > 0, was " + tokenBudget);
    }
    if (!(meanRemainingOutputTokens >= 0) || !(currentStepRemainingUs >= 0)) {
      throw new IllegalArgumentException("meanRemainingOutputTokens and currentStepRemainingUs must be >= 0");
    }
  }

  /** An idle engine with the given budget. */
  public static EngineLoad idle(int tokenBudget) {
    return new EngineLoad(List.of(), 0, 0, tokenBudget, 0, 0);
  }

  /** Total prefill tokens waiting. */
  public long queuedPrefillTokens() {
    long sum = 0;
    for (PendingPrefill p : queue) {
      sum += p.remainingTokens();
    }
    return sum;
  }
}
