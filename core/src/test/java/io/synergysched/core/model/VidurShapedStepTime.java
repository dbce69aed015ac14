package io.synergysched.core.model;

/**
 * Ground-truth step time shaped like Vidur's recipe, for tests: per layer, linear ops interpolated
 * from the measured A100 Llama-2-7B curve (including its kernel-selection steps, so the model's
 * hinge and bin correction meet the real shape), decode attention linear in batch x mean context,
 * prefill attention quadratic in the effective chunk and linear in chunk x cached context, times 32
 * layers, plus a per-step CPU overhead growing with the batch.
 */
final class VidurShapedStepTime {

  /** Tokens and the measured 9-op sum in ms per layer (A100, Llama-2-7B, TP1, from mlp.csv). */
  private static final double[][] LINEAR_OPS = {
    {0, 0.289}, {1, 0.290}, {8, 0.283}, {32, 0.298}, {64, 0.303}, {80, 0.358}, {128, 0.3825},
    {136, 0.5495}, {160, 0.557}, {192, 0.4975}, {256, 0.5565}, {320, 0.710}, {384, 0.7365},
    {512, 1.0425}, {640, 1.2905}, {768, 1.4385}, {1024, 2.123}, {1536, 3.093}, {2048, 4.1707},
    {3072, 6.1535}, {4096, 8.1225}
  };

  static final int LAYERS = 32;

  private VidurShapedStepTime() {}

  static double linearOpsMs(double tokens) {
    double t = Math.ceil(tokens / 8.0) * 8.0;
    if (t >= 4096) {
      return LINEAR_OPS[LINEAR_OPS.length - 1][1] + (t - 4096) * 0.00195;
    }
    for (int i = 1; i < LINEAR_OPS.length; i++) {
      if (t <= LINEAR_OPS[i][0]) {
        double[] lo = LINEAR_OPS[i - 1];
        double[] hi = LINEAR_OPS[i];
        return lo[1] + (hi[1] - lo[1]) * (t - lo[0]) / (hi[0] - lo[0]);
      }
    }
    throw new AssertionError();
  }

  /**
   * Step time in ms. {@code chunks[i]} and {@code cached[i]} are the prefill chunks and the context
   * cached behind each; {@code contexts[j]} the decodes' context lengths.
   */
  static double stepMs(int[] chunks, int[] cached, int chunkCount, int[] contexts, int decodeCount) {
    long tokens = decodeCount;
    double chunkSquares = 0;
    double cachedRounded = 0;
    for (int i = 0; i < chunkCount; i++) {
      tokens += chunks[i];
      chunkSquares += (double) chunks[i] * chunks[i];
      cachedRounded += Math.ceil(cached[i] / 64.0) * 64.0;
    }
    double perLayer = linearOpsMs(tokens);
    if (decodeCount > 0) {
      double contextSum = 0;
      for (int j = 0; j < decodeCount; j++) {
        contextSum += contexts[j];
      }
      double meanContext = Math.ceil(contextSum / decodeCount / 64.0) * 64.0;
      double attention = 0.016 + 1.25e-6 * decodeCount * meanContext;
      perLayer += attention * (decodeCount > 1 ? 1.1 : 1.0);
    }
    if (chunkCount > 0) {
      double chunk = Math.sqrt(chunkSquares);
      double attention = 0.010 + 1.35e-7 * chunk * chunk + 1.0e-7 * chunk * cachedRounded + 4e-6 * cachedRounded;
      perLayer += attention * (chunkCount > 1 ? 1.1 : 1.0);
    }
    double cpuMs = 0.4 + 0.02 * (chunkCount + decodeCount);
    return LAYERS * perLayer + cpuMs;
  }
}
