package io.synergysched.core.model;

/**
 * Decides when a model changed enough to publish a new snapshot to the compacted models topic:
 * not on every step (that would be one record per step per engine) and not on coefficient deltas
 * (collinear features trade coefficients without changing any prediction), but when the predicted
 * latency of a representative step moved by more than {@code relativeTolerance}, or when
 * {@code maxVersionsBetween} updates passed since the last publication (so fit-quality figures and
 * sample counts stay fresh).
 *
 * <p>The representative steps cover the regimes the schedulers ask about: light and heavy decode
 * batches, a lone prefill chunk below and above the knee, a long prefill, and a mixed step.
 *
 * @param relativeTolerance relative change of any probe prediction that counts as material, in (0, 1)
 * @param maxVersionsBetween updates after which a snapshot is published anyway, &gt; 0
 * @param correctionShrinkVisits the model config's correction shrinkage, &gt;= 0
 */
public record MaterialChangePolicy(double relativeTolerance, long maxVersionsBetween, double correctionShrinkVisits) {

  /** prefill tokens, chunks, chunk squares, cached, chunk x cached, decodes, decode context. */
  private static final long[][] PROBES = {
    {0, 0, 0, 0, 0, 8, 8 * 512},
    {0, 0, 0, 0, 0, 64, 64 * 1024},
    {0, 0, 0, 0, 0, 192, 192 * 2048},
    {96, 1, 96 * 96, 0, 0, 0, 0},
    {512, 1, 512 * 512, 0, 0, 0, 0},
    {2048, 1, 2048L * 2048, 2048, 2048L * 2048, 0, 0},
    {512, 1, 512 * 512, 1024, 512 * 1024, 32, 32 * 1024},
  };

  public MaterialChangePolicy {
    if (!(relativeTolerance > 0 && relativeTolerance < 1)) {
      throw new IllegalArgumentException(
          "synergy.model.snapshot-relative-tolerance must be in (0, 1), was " + relativeTolerance);
    }
    if (maxVersionsBetween <= 0) {
      throw new IllegalArgumentException(
          "synergy.model.snapshot-max-versions-between must be > 0, was " + maxVersionsBetween);
    }
    if (!(correctionShrinkVisits >= 0)) {
      throw new IllegalArgumentException(
          "synergy.model.correction-shrink-visits must be >= 0, was " + correctionShrinkVisits);
    }
  }

  /** 2% on any probe, or every 5,000 updates. */
  public static MaterialChangePolicy defaults(StepLatencyModelConfig config) {
    return new MaterialChangePolicy(0.02, 5_000, config.correctionShrinkVisits());
  }

  /**
   * Whether {@code current} should be published given that {@code published} (null if nothing was
   * published yet) is the last snapshot on the topic. Thread-safe; allocates one small buffer.
   */
  public boolean changedMaterially(StepLatencyModelState published, StepLatencyModelState current) {
    if (published == null) {
      return true;
    }
    if (current.modelVersion() - published.modelVersion() >= maxVersionsBetween
        || current.modelVersion() < published.modelVersion()
        || Double.compare(current.kneeTokens(), published.kneeTokens()) != 0) {
      return true;
    }
    double[] features = new double[StepFeatures.DIMENSION];
    for (long[] p : PROBES) {
      StepFeatures.fill(features, p[0], p[1], p[2], p[3], p[4], p[5], p[6], current.kneeTokens());
      long tokens = p[0] + p[5];
      double before = published.predictUs(features, tokens, correctionShrinkVisits);
      double after = current.predictUs(features, tokens, correctionShrinkVisits);
      if (Math.abs(after - before) > relativeTolerance * before) {
        return true;
      }
    }
    return false;
  }
}
