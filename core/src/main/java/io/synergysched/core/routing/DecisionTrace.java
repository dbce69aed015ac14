package io.synergysched.core.routing;

/**
 * Why a router made its last decision, per engine, for the audit record of each decision.
 *
 * @param removedBy per engine index: the configured type of what removed the engine from the
 *     candidates ({@code unavailable}, or a filter's type such as {@code slo-feasibility}), or null
 *     when it stayed a candidate
 * @param scores per engine index: its weighted total score, NaN when it was removed or no scorer ran
 * @param shedReason why the request was shed or held (the type of the filter that left no candidate,
 *     {@code unavailable}, or the admission rule's own reason, which starts with its type), else null
 * @param holdUntilMs when the request was held, when it is to be offered again (ms); NaN otherwise
 */
public record DecisionTrace(String[] removedBy, double[] scores, String shedReason, double holdUntilMs) {}
