package io.synergysched.runtime.mapping;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.schemas.BudgetPoint;
import io.synergysched.schemas.LensHint;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping between the core {@link LensPlan} and its wire form, the Avro record
 * {@link io.synergysched.schemas.LensHint} of the control topic: a field copy both ways.
 */
public final class LensHintMapping {

  private LensHintMapping() {}

  public static LensHint toAvro(LensPlan hint) {
    List<BudgetPoint> curve = new ArrayList<>(hint.budgetCurve().size());
    for (LensPlan.BudgetPoint p : hint.budgetCurve()) {
      curve.add(new BudgetPoint(p.decodeSeqs(), p.decodeContextMean(), p.tokenBudget()));
    }
    return LensHint.newBuilder()
        .setEngineId(hint.engineId())
        .setHintVersion(hint.hintVersion())
        .setModelVersion(hint.modelVersion())
        .setIssuedAtMs(hint.issuedAtMs())
        .setValidUntilMs(hint.validUntilMs())
        .setTpotTargetMs(hint.tpotTargetMs())
        .setTpotMarginMs(hint.tpotMarginMs())
        .setBudgetCurve(curve)
        .setMaxNumSeqs(hint.maxNumSeqs())
        .setChunkSizeTokens(hint.chunkSizeTokens())
        .setKvAdmissionWatermark(hint.kvAdmissionWatermark())
        .setPriorityPolicy(hint.priorityPolicy())
        .build();
  }

  /**
   * The core hint of a wire record.
   *
   * @throws IllegalArgumentException saying which invariant the record breaks (unsorted curve,
   *     watermark out of range, unknown priority policy, ...)
   */
  public static LensPlan toCore(LensHint avro) {
    List<LensPlan.BudgetPoint> curve = new ArrayList<>(avro.getBudgetCurve().size());
    for (BudgetPoint p : avro.getBudgetCurve()) {
      curve.add(new LensPlan.BudgetPoint(p.getDecodeSeqs(), p.getDecodeContextMean(), p.getTokenBudget()));
    }
    return new LensPlan(
        avro.getEngineId(),
        avro.getHintVersion(),
        avro.getModelVersion(),
        avro.getIssuedAtMs(),
        avro.getValidUntilMs(),
        avro.getTpotTargetMs(),
        avro.getTpotMarginMs(),
        curve,
        avro.getMaxNumSeqs(),
        avro.getChunkSizeTokens(),
        avro.getKvAdmissionWatermark(),
        avro.getPriorityPolicy());
  }
}
