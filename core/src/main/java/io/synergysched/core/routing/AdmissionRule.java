package io.synergysched.core.routing;

import java.util.List;

/**
 * A profile's admission rule ({@code profile.NAME.admission = TYPE}): whether a request is routed,
 * shed, or held to be offered again later. Any profile can carry any rule; the rule decides at two
 * points of {@link ProfileRouter}'s decision, and admits by default at both:
 *
 * <ol>
 *   <li>{@link #whenNoCandidate}: a filter has just left no candidate. Admitting skips that filter
 *       for this request (the set before it is restored and the next filter runs), shedding or
 *       holding ends the decision;
 *   <li>{@link #admit}: after the filters, with the candidates they left (never empty), before the
 *       scorers.
 * </ol>
 *
 * <p>Called from the router's single thread; a rule may keep state (for example when it first held
 * a request). Like every plugin it is told the outcome through {@link #onRouted}.
 */
public interface AdmissionRule extends RoutingPlugin {

  /**
   * Filter {@code filterType} removed every candidate of {@code request}.
   *
   * @return {@link AdmissionDecision#ADMIT} to skip that filter, or a shed or hold decision
   */
  default AdmissionDecision whenNoCandidate(RoutingRequest request, List<? extends EngineView> engines,
      String filterType) {
    return AdmissionDecision.ADMIT;
  }

  /**
   * The filters are done.
   *
   * @param candidates what the filters left (filters that emptied the set skipped), never empty
   */
  default AdmissionDecision admit(RoutingRequest request, List<? extends EngineView> engines,
      Candidates candidates) {
    return AdmissionDecision.ADMIT;
  }
}
