package io.synergysched.core.lens;

import io.synergysched.core.model.predict.EnginePerformancePredictor;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans an engine's {@link LensPlan} from its performance model and its TPOT target: the model is
 * inverted for the largest step that keeps the target minus a margin at each decode load, which
 * gives the budget curve; the decode load the target can carry gives the sequence limit; the
 * per-token cost curve of a prefill step gives the preferred (smallest efficient) chunk, because
 * steps beyond a few thousand tokens are no cheaper per token and only raise KV pressure.
 *
 * <p>Stateless and thread-safe; a plan costs about 15 capacity inversions (a few thousand step
 * predictions, well under a millisecond) and allocates the hint.
 */
public final class LensPlanner {

  /** Decode loads the budget curve is planned at; denser where the curve bends. */
  private static final int[] DECODE_POINTS = {0, 1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 160, 192, 224, 256,
      320, 384, 448, 512};

  /** Chunk sizes the efficiency search considers, tokens. */
  private static final int CHUNK_STEP = 64;

  private final LensPlannerConfig config;

  public LensPlanner(LensPlannerConfig config) {
    this.config = config.validate();
  }

  public LensPlannerConfig config() {
    return config;
  }

  /**
   * @param engineId engine the hint is for
   * @param predictor the engine's current model, never null
   * @param tpotTargetMs the TPOT target running decodes must keep, ms, &gt; 0
   * @param meanDecodeContext mean context of the engine's decodes lately, tokens, &gt;= 0 (plan for
   *     the typical load: a longer context makes decodes dearer and the budget smaller)
   * @param kvBlocksTotal the engine's KV capacity, blocks, &gt; 0
   * @param blockSize tokens per KV block, &gt; 0
   * @param nowMs planning time, ms; the hint is valid until {@code nowMs + hintTtlMs}
   * @param hintVersion version to stamp, increasing per engine
   */
  public LensPlan plan(String engineId, EnginePerformancePredictor predictor, double tpotTargetMs,
      double meanDecodeContext, int kvBlocksTotal, int blockSize, long nowMs, long hintVersion) {
    if (!(tpotTargetMs > 0) || !(meanDecodeContext >= 0) || kvBlocksTotal <= 0 || blockSize <= 0) {
      throw new IllegalArgumentException("need tpotTargetMs > 0, meanDecodeContext >= 0, kv blocks and"
          + " block size > 0");
    }
    double marginMs = tpotTargetMs * config.tpotMarginFraction();
    double targetUs = (tpotTargetMs - marginMs) * 1000.0;
    int maxSeqs = 1;
    List<LensPlan.BudgetPoint> curve = new ArrayList<>();
    for (int d : DECODE_POINTS) {
      if (d > config.maxNumSeqs()) {
        break;
      }
      double context = d * meanDecodeContext;
      boolean decodesFit = d == 0
          || predictor.predictStepUs(0, 0, 0, 0, 0, d, context) <= targetUs;
      int prefill = decodesFit
          ? predictor.prefillCapacity(targetUs, d, context, 0, config.maxTokenBudget() - d) : 0;
      if (decodesFit && d > 0) {
        maxSeqs = d;
      }
      curve.add(new LensPlan.BudgetPoint(d, (int) Math.round(meanDecodeContext), d + prefill));
      if (!decodesFit) {
        break;
      }
    }
    if (maxSeqs == DECODE_POINTS[DECODE_POINTS.length - 1] || maxSeqs >= config.maxNumSeqs()) {
      maxSeqs = config.maxNumSeqs();
    }
    int chunk = preferredChunk(predictor, curve.get(0).tokenBudget());
    long reserveBlocks = (long) maxSeqs * ((config.kvReserveSteps() + blockSize - 1) / blockSize + 1);
    double watermark = Math.max(0.5, Math.min(0.98, 1.0 - (double) reserveBlocks / kvBlocksTotal));
    return new LensPlan(engineId, hintVersion, predictor.modelVersion(), nowMs, nowMs + config.hintTtlMs(),
        tpotTargetMs, marginMs, curve, maxSeqs, chunk, watermark, LensPlan.SLACK);
  }

  /**
   * Smallest prefill chunk whose cost per token is within {@code chunkEfficiency} of the cheapest
   * chunk up to {@code maxChunk}: the fixed cost of a step (weights read once) is amortized by then.
   */
  int preferredChunk(EnginePerformancePredictor predictor, int maxChunk) {
    int limit = Math.max(CHUNK_STEP, maxChunk);
    double best = Double.POSITIVE_INFINITY;
    for (int p = CHUNK_STEP; p <= limit; p += CHUNK_STEP) {
      best = Math.min(best, perTokenUs(predictor, p));
    }
    for (int p = CHUNK_STEP; p <= limit; p += CHUNK_STEP) {
      if (best / perTokenUs(predictor, p) >= config.chunkEfficiency()) {
        return p;
      }
    }
    return limit;
  }

  private static double perTokenUs(EnginePerformancePredictor predictor, int p) {
    return predictor.predictStepUs(p, 1, (double) p * p, 0, 0, 0, 0) / p;
  }
}
