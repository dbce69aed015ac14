package io.synergysched.simulator.matrix;

import io.synergysched.simulator.SharedDataLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small valid matrix file: two 30-second Azure conversation workloads on two A100s. */
final class TinyMatrix {

  private TinyMatrix() {}

  static String text() {
    Path trace = SharedDataLocator.dataRoot().resolve("traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv");
    return String.join("\n",
        "name: tiny",
        "noise_sigma: 0.04",
        "telemetry_staleness_ms: 50",
        "regimes: [as-shipped]",
        "bursty: {calm_s: 10, burst_s: 2.5, burst_ratio: 4}",
        "sets:",
        "  tuning: {seeds: [1, 2, 3], start_s: 0, window_s: 30}",
        "  held-out: {seeds: [11, 12, 13], start_s: 600, window_s: 30}",
        "clusters:",
        "  two-a100: [{gpu: a100, model: llama-2-7b, count: 2}]",
        "  one-h100: [{gpu: h100, model: llama-2-7b, count: 1}]",
        "traces:",
        "  conv:",
        "    trace: {path: " + trace + ", format: azure}",
        "    slo: {moderate: {ttft_ms: 1000, tpot_ms: 100}}",
        "    rate_scales: [1, 2]",
        "workloads:",
        "  - {trace: conv, cluster: two-a100, set: tuning}",
        "  - {trace: conv, cluster: one-h100, set: held-out}",
        "reference: llm-d-default+vllm-default",
        "comparisons:",
        "  - {name: routing, ours: prism+vllm-default,",
        "     baselines: [round-robin+vllm-default, llm-d-default+vllm-default]}",
        "quick:",
        "  workloads: [conv/two-a100]",
        "  arrivals: [own]",
        "  pairs: [llm-d-default+vllm-default, prism+vllm-default]",
        "");
  }

  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
