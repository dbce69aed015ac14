package io.synergysched.simulator.engine;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.simulator.profile.DeviceSpec;
import io.synergysched.simulator.profile.ModelSpec;

/**
 * One simulated engine's settings, declared below with their defaults (vLLM's server's) and
 * ranges; a scenario's {@code engines[]} entries set them under the same names.
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

  public static final Setting<String> ENGINE_ID = Setting.text("engine_id", null,
      "identifier, unique in the cluster (the scenario runner names each engine)").required();
  public static final Setting<Integer> BLOCK_SIZE = Setting.integer("block_size", 16, "a divisor of 512",
      v -> v > 0 && SimRequest.PREFIX_HASH_BLOCK_TOKENS % v == 0,
      "KV block size, tokens, as vLLM's (the scenario runner keeps the default)");
  public static final Setting<Double> GPU_MEMORY_UTILIZATION = Setting.number("gpu_memory_utilization", 0.9,
      "(0, 1]", v -> v > 0 && v <= 1, "share of device memory vLLM may use");
  public static final Setting<Double> ACTIVATION_RESERVE_GB = Setting.number("activation_reserve_gb", 2.0, 0,
      Double.POSITIVE_INFINITY, "memory kept for activations and the CUDA graph pool per GPU, GB");
  public static final Setting<Boolean> PREFIX_CACHING = Setting.flag("prefix_caching", false,
      "reuse cached prompt blocks by content hash, with LRU eviction");
  public static final Setting<Double> NOISE_SIGMA = Setting.number("noise_sigma", 0.0, 0, Double.POSITIVE_INFINITY,
      "sigma of the multiplicative lognormal noise on step time (0: exact)");
  public static final Setting<Long> SEED = Setting.whole("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE,
      "seed of the noise (the scenario runner derives it from the scenario's seed)");
  public static final Setting<Integer> MAX_MODEL_LEN = Setting.integer("max_model_len", 0, 0, Integer.MAX_VALUE,
      "longest sequence accepted, tokens; 0 takes the model's");
  public static final Setting<Integer> KV_BLOCKS = Setting.integer("kv_blocks", 0, 0, Integer.MAX_VALUE,
      "KV capacity in blocks; 0 derives it from memory");

  /** The keys of one simulated engine, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(ENGINE_ID, BLOCK_SIZE, GPU_MEMORY_UTILIZATION,
      ACTIVATION_RESERVE_GB, PREFIX_CACHING, NOISE_SIGMA, SEED, MAX_MODEL_LEN, KV_BLOCKS);

  /** Every key at its declared default. */
  public static EngineConfig defaults(String engineId) {
    return new EngineConfig(engineId, BLOCK_SIZE.defaultValue(), GPU_MEMORY_UTILIZATION.defaultValue(),
        ACTIVATION_RESERVE_GB.defaultValue(), PREFIX_CACHING.defaultValue(), NOISE_SIGMA.defaultValue(),
        SEED.defaultValue(), MAX_MODEL_LEN.defaultValue(), KV_BLOCKS.defaultValue());
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
    ENGINE_ID.check(engineId);
    BLOCK_SIZE.check(blockSize);
    GPU_MEMORY_UTILIZATION.check(gpuMemoryUtilization);
    ACTIVATION_RESERVE_GB.check(activationReserveGb);
    NOISE_SIGMA.check(noiseSigma);
    MAX_MODEL_LEN.check(maxModelLen);
    KV_BLOCKS.check(kvBlocksOverride);
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
