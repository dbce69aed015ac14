package io.synergysched.simulator.profile;

/**
 * An accelerator, read from Vidur's device config YAML.
 *
 * @param name short name, e.g. {@code a100}
 * @param fp16Tflops dense fp16 peak, TFLOP/s
 * @param memoryGb device memory, GB (10^9 bytes)
 * @param memoryBandwidthGbps HBM bandwidth, GB/s: not in Vidur's YAML, so taken from the
 *     optional {@code memory_bandwidth_gbps} key or the datasheet default for known devices
 */
public record DeviceSpec(
    String name, double fp16Tflops, double memoryGb, int devicesPerNode, double memoryBandwidthGbps) {}
