package io.synergysched.core.lens;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * When a freshly planned hint is worth publishing on the compacted control topic, given the last
 * one published for the same engine. A hint is published when:
 *
 * <ul>
 *   <li>none was published yet ({@code first});
 *   <li>the token budget at any decode load of either curve moved by more than
 *       {@code budgetFraction} of the previous budget ({@code budget});
 *   <li>the sequence limit moved by more than {@code maxSeqsFraction} ({@code max-seqs});
 *   <li>the KV admission watermark moved by more than {@code watermarkDelta} ({@code watermark});
 *   <li>the TPOT target, the preferred chunk or the priority policy changed ({@code target});
 *   <li>the model it was planned from changed materially since the published hint's model (the
 *       caller decides that with the rule that publishes model snapshots) ({@code model});
 *   <li>the published hint is {@code refreshAfterMs} old, so a healthy engine receives a new
 *       lifetime before the old one ends ({@code refresh}).
 * </ul>
 *
 * Everything else (a budget a few tokens off, a new model version that predicts the same) is not
 * material: the engine keeps the hint it has. Stateless and thread-safe.
 *
 * @param budgetFraction relative budget change that counts, in (0, 1)
 * @param maxSeqsFraction relative sequence-limit change that counts, in (0, 1)
 * @param watermarkDelta absolute watermark change that counts, in (0, 1)
 * @param refreshAfterMs age of the published hint after which it is republished, ms, &gt; 0 and
 *     below the hint TTL (checked by the caller that knows the TTL)
 */
public record LensHintPublishPolicy(
    double budgetFraction, double maxSeqsFraction, double watermarkDelta, long refreshAfterMs) {

  public static final String FIRST = "first";
  public static final String BUDGET = "budget";
  public static final String MAX_SEQS = "max-seqs";
  public static final String WATERMARK = "watermark";
  public static final String TARGET = "target";
  public static final String MODEL = "model";
  public static final String REFRESH = "refresh";

  private static final String FRACTION = "(0, 1)";

  public static final Setting<Double> BUDGET_FRACTION = Setting.number("synergy.lens.material.budget-fraction",
      0.10, FRACTION, v -> v > 0 && v < 1,
      "a hint is republished when its token budget at any decode load moved by more than this share");
  public static final Setting<Double> MAX_SEQS_FRACTION = Setting.number(
      "synergy.lens.material.max-seqs-fraction", 0.10, FRACTION, v -> v > 0 && v < 1,
      "a hint is republished when its sequence limit moved by more than this share");
  public static final Setting<Double> WATERMARK_DELTA = Setting.number("synergy.lens.material.watermark-delta",
      0.02, FRACTION, v -> v > 0 && v < 1,
      "a hint is republished when its KV admission watermark moved by more than this");
  public static final Setting<Duration> REFRESH_AFTER = Setting.millis("synergy.lens.refresh-after-ms", 1, 1,
      Long.MAX_VALUE, "age after which an unchanged hint is republished, below synergy.lens.hint-ttl-ms so a"
          + " healthy engine receives a new lifetime before the old one ends")
      .derivedDefault("half of `synergy.lens.hint-ttl-ms`");

  /** The publishing rule's keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(BUDGET_FRACTION, MAX_SEQS_FRACTION, WATERMARK_DELTA,
      REFRESH_AFTER);

  public LensHintPublishPolicy {
    BUDGET_FRACTION.check(budgetFraction);
    MAX_SEQS_FRACTION.check(maxSeqsFraction);
    WATERMARK_DELTA.check(watermarkDelta);
    REFRESH_AFTER.check(Duration.ofMillis(refreshAfterMs));
  }

  /** 10% budget or sequences, 0.02 watermark, refresh after half of a TTL of {@code ttlMs}. */
  public static LensHintPublishPolicy defaults(long ttlMs) {
    return fromProperties(Map.of(), ttlMs);
  }

  /**
   * The publishing keys of {@code properties} over the defaults for hints that live {@code ttlMs}.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static LensHintPublishPolicy fromProperties(Map<String, String> properties, long ttlMs) {
    Duration refresh = REFRESH_AFTER.read(properties);
    return new LensHintPublishPolicy(BUDGET_FRACTION.read(properties), MAX_SEQS_FRACTION.read(properties),
        WATERMARK_DELTA.read(properties), refresh == null ? Math.max(1, ttlMs / 2) : refresh.toMillis());
  }

  /**
   * Why {@code next} should be published, one of the constants of this class, or null when it
   * should not.
   *
   * @param published the last hint published for the engine, or null
   * @param next the hint just planned
   * @param modelChangedMaterially whether the model {@code next} came from differs materially from
   *     the one {@code published} came from
   * @param nowMs current time on the clock the hints are stamped with, ms
   */
  public String reason(LensPlan published, LensPlan next, boolean modelChangedMaterially, long nowMs) {
    if (published == null) {
      return FIRST;
    }
    if (budgetMoved(published, next)) {
      return BUDGET;
    }
    if (Math.abs(next.maxNumSeqs() - published.maxNumSeqs()) > maxSeqsFraction * published.maxNumSeqs()) {
      return MAX_SEQS;
    }
    if (Math.abs(next.kvAdmissionWatermark() - published.kvAdmissionWatermark()) > watermarkDelta) {
      return WATERMARK;
    }
    if (Double.compare(next.tpotTargetMs(), published.tpotTargetMs()) != 0
        || next.chunkSizeTokens() != published.chunkSizeTokens()
        || !next.priorityPolicy().equals(published.priorityPolicy())) {
      return TARGET;
    }
    if (modelChangedMaterially) {
      return MODEL;
    }
    if (nowMs - published.issuedAtMs() >= refreshAfterMs) {
      return REFRESH;
    }
    return null;
  }

  private boolean budgetMoved(LensPlan published, LensPlan next) {
    return curveMoved(published, next, published.budgetCurve())
        || curveMoved(published, next, next.budgetCurve());
  }

  private boolean curveMoved(LensPlan published, LensPlan next, java.util.List<LensPlan.BudgetPoint> at) {
    for (LensPlan.BudgetPoint p : at) {
      int before = published.tokenBudgetAt(p.decodeSeqs());
      int after = next.tokenBudgetAt(p.decodeSeqs());
      if (Math.abs(after - before) > budgetFraction * Math.max(1, before)) {
        return true;
      }
    }
    return false;
  }
}
