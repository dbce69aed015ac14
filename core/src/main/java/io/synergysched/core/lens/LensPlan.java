package io.synergysched.core.lens;

import java.util.List;
import java.util.Objects;

/**
 * LENS operating hint for one engine's batch scheduler: how many tokens a step may take at a given
 * decode load so the step stays under the TPOT target minus a margin, how many sequences, the
 * preferred prefill chunk, and the KV watermark below which new requests are admitted. The fields
 * mirror the Avro record {@code io.synergysched.schemas.LensHint} one to one, so the wire mapping
 * is a field copy. Immutable and thread-safe.
 *
 * @param engineId engine the hint is for, never blank
 * @param hintVersion increases per engine, &gt;= 0
 * @param modelVersion version of the performance model the hint was planned from
 * @param issuedAtMs when the hint was planned, ms (epoch or virtual)
 * @param validUntilMs after this time the engine falls back to its safe defaults, ms, &gt;= issuedAtMs
 * @param tpotTargetMs TPOT target the budget protects, ms, &gt; 0
 * @param tpotMarginMs margin kept below the target, ms, in [0, tpotTargetMs)
 * @param budgetCurve token budget by decode load, sorted by strictly increasing decodeSeqs, at
 *     least one point; copied
 * @param maxNumSeqs most sequences in one step, &gt; 0
 * @param chunkSizeTokens preferred (smallest efficient) prefill chunk, tokens, &gt; 0
 * @param kvAdmissionWatermark admit new requests only while KV use is below this, fraction in (0, 1]
 * @param priorityPolicy ordering of waiting work, kebab-case ({@code slack} or {@code fcfs})
 */
public record LensPlan(
    String engineId,
    long hintVersion,
    long modelVersion,
    long issuedAtMs,
    long validUntilMs,
    double tpotTargetMs,
    double tpotMarginMs,
    List<BudgetPoint> budgetCurve,
    int maxNumSeqs,
    int chunkSizeTokens,
    double kvAdmissionWatermark,
    String priorityPolicy) {

  /** Priority policy ordering waiting work by TTFT slack. */
  public static final String SLACK = "slack";

  /** Priority policy keeping arrival order (vLLM's). */
  public static final String FCFS = "fcfs";

  /**
   * Token budget at one decode load; the hint interpolates linearly between points.
   *
   * @param decodeSeqs running decode sequences, &gt;= 0
   * @param decodeContextMean mean decode context the point was planned for, tokens, &gt;= 0
   * @param tokenBudget most tokens the step may take (decodes included), &gt;= 0
   */
  public record BudgetPoint(int decodeSeqs, int decodeContextMean, int tokenBudget) {
    public BudgetPoint {
      if (decodeSeqs < 0 || decodeContextMean < 0 || tokenBudget < 0) {
        throw new IllegalArgumentException("budget point fields must be >= 0, got "
            + decodeSeqs + "/" + decodeContextMean + "/" + tokenBudget);
      }
    }
  }

  public LensPlan {
    if (engineId == null || engineId.isBlank()) {
      throw new IllegalArgumentException("engineId must not be blank");
    }
    Objects.requireNonNull(budgetCurve, "budgetCurve");
    budgetCurve = List.copyOf(budgetCurve);
    if (budgetCurve.isEmpty()) {
      throw new IllegalArgumentException("budgetCurve needs at least one point");
    }
    for (int i = 1; i < budgetCurve.size(); i++) {
      if (budgetCurve.get(i).decodeSeqs() <= budgetCurve.get(i - 1).decodeSeqs()) {
        throw new IllegalArgumentException("budgetCurve must be sorted by strictly increasing decodeSeqs");
      }
    }
    if (validUntilMs < issuedAtMs) {
      throw new IllegalArgumentException("validUntilMs must be >= issuedAtMs");
    }
    if (!(tpotTargetMs > 0) || !(tpotMarginMs >= 0) || tpotMarginMs >= tpotTargetMs) {
      throw new IllegalArgumentException("need tpotTargetMs > tpotMarginMs >= 0, got "
          + tpotTargetMs + "/" + tpotMarginMs);
    }
    if (maxNumSeqs <= 0 || chunkSizeTokens <= 0) {
      throw new IllegalArgumentException("maxNumSeqs and chunkSizeTokens must be > 0");
    }
    if (!(kvAdmissionWatermark > 0 && kvAdmissionWatermark <= 1)) {
      throw new IllegalArgumentException("kvAdmissionWatermark must be in (0, 1], got " + kvAdmissionWatermark);
    }
    if (!SLACK.equals(priorityPolicy) && !FCFS.equals(priorityPolicy)) {
      throw new IllegalArgumentException("priorityPolicy must be slack or fcfs, got " + priorityPolicy);
    }
  }

  /** Whether the engine may still apply this hint at {@code nowMs} (inclusive). */
  public boolean isValidAt(double nowMs) {
    return nowMs <= validUntilMs;
  }

  /**
   * Token budget (decodes included) for a step with {@code decodes} decoding sequences: linear
   * interpolation between curve points, the last point's budget beyond the curve's end (the
   * planner puts its last point at maxNumSeqs). Allocation-free.
   */
  public int tokenBudgetAt(int decodes) {
    List<BudgetPoint> c = budgetCurve;
    int n = c.size();
    if (decodes <= c.get(0).decodeSeqs()) {
      return c.get(0).tokenBudget();
    }
    if (decodes >= c.get(n - 1).decodeSeqs()) {
      return c.get(n - 1).tokenBudget();
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (c.get(mid).decodeSeqs() <= decodes) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    BudgetPoint a = c.get(lo);
    BudgetPoint b = c.get(hi);
    double f = (double) (decodes - a.decodeSeqs()) / (b.decodeSeqs() - a.decodeSeqs());
    // Floor: between points the true capacity curve is concave-ish in decodes, rounding down keeps
    // the interpolated budget on the safe side of the TPOT target.
    return (int) Math.floor(a.tokenBudget() + f * (b.tokenBudget() - a.tokenBudget()));
  }
}
