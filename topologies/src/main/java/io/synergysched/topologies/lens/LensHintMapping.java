package io.synergysched.topologies.lens;

import io.synergysched.core.lens.LensHint;
import io.synergysched.schemas.BudgetPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping between the core {@link LensHint} and its wire form, the Avro record
 * {@link io.synergysched.schemas.LensHint} of the control topic: a field copy both ways.
 */
public final class LensHintMapping {

  private LensHintMapping() {}

  public static io.synergysched.schemas.LensHint toAvro(LensHint hint) {
    List<BudgetPoint> curve = new ArrayList<>(hint.budgetCurve().size());
    for (LensHint.BudgetPoint p : hint.budgetCurve()) {
      curve.add(new BudgetPoint(p.decodeSeqs(), p.decodeContextMean(), p.tokenBudget()));
    }
    return io.synergysched.schemas.LensHint.newBuilder()
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
  public static LensHint toCore(io.synergysched.schemas.LensHint avro) {
    List<LensHint.BudgetPoint> curve = new ArrayList<>(avro.getBudgetCurve().size());
    for (BudgetPoint p : avro.getBudgetCurve()) {
      curve.add(new LensHint.BudgetPoint(p.getDecodeSeqs(), p.getDecodeContextMean(), p.getTokenBudget()));
    }
    return new LensHint(
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
