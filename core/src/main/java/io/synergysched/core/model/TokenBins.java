package io.synergysched.core.model;

/**
 * Bins of the step's total token count {@code T} for the GEMM shape correction.
 *
 * <p>Why bins at all: measured GEMM times are not a smooth function of {@code T}. cuBLAS switches
 * tile shapes and wave counts at particular sizes, so the Vidur profiles jump by 20-45% at, for
 * example, T = 129, 328 or 520 and even fall again after (see {@code docs/performance-model.md}).
 * No smooth structural term captures that; a per-bin residual does. The bin edges follow the Vidur
 * profiling grid (every 8 tokens to 1,024, every 16 to 2,048, every 32 to 4,096), because the step
 * time of an engine whose batches are padded to multiples of 8 is constant within such a bin.
 * Beyond 4,096 tokens bins are 256 wide up to 16,384, and one bin holds everything larger.
 *
 * <p>Static, allocation-free, thread-safe.
 */
public final class TokenBins {

  /** Number of bins. */
  public static final int COUNT = 1 + 128 + 64 + 64 + 48 + 1;

  private TokenBins() {}

  /** The bin of a step with {@code totalTokens} tokens; {@code totalTokens <= 0} maps to bin 0. */
  public static int of(long totalTokens) {
    if (totalTokens <= 0) {
      return 0;
    }
    if (totalTokens <= 1024) {
      return (int) ((totalTokens + 7) / 8);
    }
    if (totalTokens <= 2048) {
      return 128 + (int) ((totalTokens - 1024 + 15) / 16);
    }
    if (totalTokens <= 4096) {
      return 192 + (int) ((totalTokens - 2048 + 31) / 32);
    }
    if (totalTokens <= 16384) {
      return 256 + (int) ((totalTokens - 4096 + 255) / 256);
    }
    return COUNT - 1;
  }

  /** Largest token count in {@code bin}; {@link Long#MAX_VALUE} for the last bin. */
  public static long upperEdge(int bin) {
    if (bin <= 0) {
      return 0;
    }
    if (bin <= 128) {
      return bin * 8L;
    }
    if (bin <= 192) {
      return 1024 + (bin - 128) * 16L;
    }
    if (bin <= 256) {
      return 2048 + (bin - 192) * 32L;
    }
    if (bin <= 304) {
      return 4096 + (bin - 256) * 256L;
    }
    return Long.MAX_VALUE;
  }
}
