package io.synergysched.simulator.profile;

/**
 * A transformer's shape, read from Vidur's model config YAML.
 *
 * @param name short name, e.g. {@code llama-2-7b}
 * @param profileName directory name in Vidur's layout, e.g. {@code meta-llama/Llama-2-7b-hf}
 */
public record ModelSpec(
    String name,
    String profileName,
    int numLayers,
    int numQHeads,
    int numKvHeads,
    int embeddingDim,
    int mlpHiddenDim,
    int vocabSize,
    int maxPositionEmbeddings,
    boolean gatedMlp) {

  public int headDim() {
    return embeddingDim / numQHeads;
  }

  /** Weights, counted from the shape (embedding and LM head untied, as in Llama). */
  public long parameterCount() {
    long e = embeddingDim;
    long attention = e * (long) numQHeads * headDim()
        + 2L * e * numKvHeads * headDim()
        + (long) numQHeads * headDim() * e;
    long mlp = (gatedMlp ? 3L : 2L) * e * mlpHiddenDim;
    long perLayer = attention + mlp + 2 * e;
    return numLayers * perLayer + 2L * vocabSize * e + e;
  }

  /** fp16 weight bytes each GPU holds at tensor-parallel degree {@code tp}. */
  public long weightBytesPerGpu(int tp) {
    return parameterCount() * 2 / tp;
  }

  /** fp16 K and V bytes one token occupies on each GPU, over all layers. */
  public long kvBytesPerTokenPerGpu(int tp) {
    return 2L * numLayers * Math.max(1, numKvHeads / tp) * headDim() * 2;
  }
}
