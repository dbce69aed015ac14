package io.synergysched.runtime.records;

import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;

/**
 * What makes a {@link RequestEvent} true: the model-trainer dead-letters an event that breaks
 * these rules, and the router skips it, so neither learns from an event the other ignores. An
 * event of a type this version does not know ({@link RequestEventType#UNKNOWN}, what a newer
 * writer's type resolves to) breaks them: no reader can tell what happened to the request.
 * Thread-safe.
 */
public final class RequestEventRules {

  private RequestEventRules() {}

  /**
   * @param key the record's key, or null
   * @param e the decoded event, not null
   * @return the first reason the event cannot be true, or null
   */
  public static String problem(String key, RequestEvent e) {
    if (e.getEngineId().isBlank()) {
      return "engineId is empty";
    }
    if (e.getType() == RequestEventType.UNKNOWN) {
      return "event type unknown to this version";
    }
    if (e.getEventTimeMs() < 0 || e.getArrivalTimeMs() < 0) {
      return "negative time: eventTimeMs " + e.getEventTimeMs() + ", arrivalTimeMs "
          + e.getArrivalTimeMs();
    }
    if (e.getPromptTokens() < 0 || e.getOutputTokens() < 0 || e.getCachedPromptTokens() < 0) {
      return "negative token count";
    }
    if (e.getCachedPromptTokens() > e.getPromptTokens()) {
      return "cachedPromptTokens " + e.getCachedPromptTokens() + " exceeds promptTokens "
          + e.getPromptTokens();
    }
    if (e.getType() == RequestEventType.FINISHED) {
      if (e.getTtftUs() == null || e.getTtftUs() < 0) {
        return "FINISHED without a non-negative ttftUs";
      }
      if (e.getTpotUs() != null && e.getTpotUs() < 0) {
        return "negative tpotUs " + e.getTpotUs();
      }
    }
    if ((e.getSloTtftMs() != null && e.getSloTtftMs() <= 0)
        || (e.getSloTpotMs() != null && e.getSloTpotMs() <= 0)) {
      return "SLO targets must be positive";
    }
    return EngineKeyedRecords.keyProblem(key, e.getEngineId(), "event");
  }
}
