package io.synergysched.core.model.predict;

/**
 * What admitting one more request to an engine is predicted to do, microseconds throughout.
 * Infinite values mean the engine cannot serve it under the assumptions (for example decodes alone
 * fill the token budget, so prefill never progresses).
 *
 * @param ttftUs time from now to the end of the step that finishes the request's prefill (its
 *     first token), including the rest of the step in flight
 * @param tpotUs mean step latency over the request's decode, assuming no further arrivals
 * @param tpotFullBudgetUs step latency of its decode steps if every one is shared with a full
 *     budget of prefill: the pessimistic TPOT under sustained arrivals
 * @param queueDrainUs time to drain the queue ahead of it (without it)
 * @param stepsToFirstToken steps until its first token, &gt;= 1 (or {@link Integer#MAX_VALUE})
 */
public record AdmissionForecast(
    double ttftUs, double tpotUs, double tpotFullBudgetUs, double queueDrainUs, int stepsToFirstToken) {}
