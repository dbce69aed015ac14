package io.synergysched.runtime.records;

import io.synergysched.schemas.RoutedRequest;

/**
 * What makes a {@link io.synergysched.schemas.RoutedRequest} servable: the request inside obeys
 * {@link InferenceRequestRules} (the router's own rules, so whatever the router routes passes),
 * and the record is keyed by the engine it names. Thread-safe.
 */
public final class RoutedRequestRules {

  private RoutedRequestRules() {}

  /**
   * @param key the record's key (the engine it was routed to), or null
   * @param routed the decoded record, not null
   * @return the first reason the engine-connector cannot serve it, or null
   */
  public static String problem(String key, RoutedRequest routed) {
    String problem = InferenceRequestRules.problem(routed.getRequest());
    return problem != null ? problem : EngineKeyedRecords.keyProblem(key, routed.getEngineId(), "request");
  }
}
