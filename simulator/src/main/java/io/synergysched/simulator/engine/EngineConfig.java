package io.synergysched.simulator.engine;

import io.synergysched.simulator.profile.DeviceSpec;
import io.synergysched.simulator.profile.ModelSpec;

/**
 * One simulated engine's settings. Defaults follow vLLM's server.
 *
 * @param engineId identifier, unique in the cluster
 * @param blockSize KV block size, tokens (vLLM: 16)
 * @param gpuMemoryUtilization share of device memory vLLM may use (vLLM: 0.9)
 * @param activationReserveGb memory kept for activations and the CUDA graph pool per GPU, GB
 * @param prefixCaching reuse cached prompt blocks by content hash, with LRU eviction
 * @param noiseSigma sigma of the multiplicative lognormal noise on step time (0: exact)
 * @param seed seed of the noise
 * @param maxModelLen longest sequence accepted, tokens; 0 takes the model's
 * @param kvBlocksOverride KV capacity in blocks; 0 derives it from memory
 */
public record EngineConfig(
    String engineId,
    int blockSize,
    double gpuMemoryUtilization,
    double activationReserveGb,
    boolean prefixCaching,
    double noiseSigma,
    long seed,
    int maxModelLen,
    int kvBlocksOverride) {

  public static EngineConfig defaults(String engineId) {
    return new EngineConfig(engineId, 16, 0.9, 2.0, false, 0.0, 1L, 0, 0);
  }

  public EngineConfig withPrefixCaching(boolean enabled) {
    return new EngineConfig(engineId, blockSize, gpuMemoryUtilization, activationReserveGb,
        enabled, noiseSigma, seed, maxModelLen, kvBlocksOverride);
  }

  public EngineConfig withNoise(double sigma, long noiseSeed) {
    return new EngineConfig(engineId, blockSize, gpuMemoryUtilization, activationReserveGb,
        prefixCaching, sigma, noiseSeed, maxModelLen, kvBlocksOverride);
  }

  public EngineConfig withKvBlocks(int blocks) {
    return new EngineConfig(engineId, blockSize, gpuMemoryUtilization, activationReserveGb,
        prefixCaching, noiseSigma, seed, maxModelLen, blocks);
  }

  public EngineConfig withMaxModelLen(int tokens) {
    return new EngineConfig(engineId, blockSize, gpuMemoryUtilization, activationReserveGb,
        prefixCaching, noiseSigma, seed, tokens, kvBlocksOverride);
  }

  /** @throws IllegalArgumentException naming the bad key */
  public EngineConfig validate() {
    if (engineId == null || engineId.isBlank()) {
      throw new IllegalArgumentException("engine_id must not be blank");
    }
    if (blockSize <= 0 || SimRequest.PREFIX_HASH_BLOCK_TOKENS % blockSize != 0) {
      throw new IllegalArgumentException("block_size must divide 512, got " + blockSize);
    }
    if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
      throw new IllegalArgumentException(
          "gpu_memory_utilization must be in (0, 1], got " + gpuMemoryUtilization);
    }
    if (activationReserveGb < 0) {
      throw new IllegalArgumentException("activation_reserve_gb must be >= 0, got " + activationReserveGb);
    }
    if (noiseSigma < 0 || Double.isNaN(noiseSigma)) {
      throw new IllegalArgumentException("noise_sigma must be >= 0, got " + noiseSigma);
    }
    if (maxModelLen < 0) {
      throw new IllegalArgumentException("max_model_len must be >= 0, got " + maxModelLen);
    }
    if (kvBlocksOverride < 0) {
      throw new IllegalArgumentException("kv_blocks must be >= 0, got " + kvBlocksOverride);
    }
    return this;
  }

  /**
   * KV blocks per engine: device memory times utilization, minus the weights and the activation
   * reserve, divided by a block's K and V bytes (every GPU of a tensor-parallel group holds its
   * share of heads, so the per-GPU figures decide).
   */
  public int kvBlocks(ModelSpec model, DeviceSpec device, int tp) {
    if (kvBlocksOverride > 0) {
      return kvBlocksOverride;
    }
    double usable = device.memoryGb() * 1e9 * gpuMemoryUtilization
        - model.weightBytesPerGpu(tp) - activationReserveGb * 1e9;
    long perBlock = model.kvBytesPerTokenPerGpu(tp) * blockSize;
    long blocks = (long) Math.floor(usable / perBlock);
    if (blocks <= 0) {
      throw new IllegalArgumentException(model.name() + " does not fit on " + tp + " x "
          + device.name() + ": no memory left for the KV cache");
    }
    return (int) Math.min(Integer.MAX_VALUE, blocks);
  }
}
