package io.synergysched.core.routing;

/**
 * Why a router made its last decision, per engine, for the audit record of each decision.
 *
 * @param removedBy per engine index: the configured type of what removed the engine from the
 *     candidates ({@code unavailable}, or a filter's type such as {@code slo-feasibility}), or null
 *     when it stayed a candidate
 * @param scores per engine index: its weighted total score, NaN when it was removed or no scorer ran
 * @param shedReason the type of what left no candidate when the request was shed, else null
 */
public record DecisionTrace(String[] removedBy, double[] scores, String shedReason) {}
