package io.synergysched.core.routing;

/**
 * What an {@link AdmissionRule} decided for one request. Immutable; rules keep the decisions they
 * repeat (a constant reason) rather than allocate one per request.
 *
 * @param verdict admit, shed or hold
 * @param reason why it was shed or held, for the decision trace (the type of the filter that left
 *     no candidate, or a rule's own phrase starting with its type); null when admitted
 * @param holdUntilMs for {@link Verdict#HOLD}: when to offer the request to the router again, ms on
 *     the decision clock, later than the decision; NaN otherwise
 */
public record AdmissionDecision(Verdict verdict, String reason, double holdUntilMs) {

  /** The three outcomes of admission. */
  public enum Verdict {
    /** Go on with the decision (routing proceeds, or the filter that emptied the set is skipped). */
    ADMIT,
    /** Drop the request: it counts as an SLO miss. */
    SHED,
    /** Place nothing now; the host offers the request again at {@link #holdUntilMs()}. */
    HOLD
  }

  public static final AdmissionDecision ADMIT = new AdmissionDecision(Verdict.ADMIT, null, Double.NaN);

  public AdmissionDecision {
    if (verdict == null) {
      throw new IllegalArgumentException("verdict must not be null");
    }
    if (verdict != Verdict.ADMIT && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException(verdict + " needs a reason for the decision trace");
    }
    if ((verdict == Verdict.HOLD) == Double.isNaN(holdUntilMs)) {
      throw new IllegalArgumentException("holdUntilMs is set for HOLD and only for HOLD, got " + holdUntilMs);
    }
  }

  /** Shed, with the reason the decision trace records. */
  public static AdmissionDecision shed(String reason) {
    return new AdmissionDecision(Verdict.SHED, reason, Double.NaN);
  }

  /** Hold until {@code untilMs}, with the reason the decision trace records. */
  public static AdmissionDecision hold(double untilMs, String reason) {
    return new AdmissionDecision(Verdict.HOLD, reason, untilMs);
  }

  public boolean admitted() {
    return verdict == Verdict.ADMIT;
  }
}
