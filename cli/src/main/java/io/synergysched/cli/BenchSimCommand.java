package io.synergysched.cli;

import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.simulator.SharedDataLocator;
import io.synergysched.simulator.cluster.ClusterSimulation;
import io.synergysched.simulator.cluster.EngineSetup;
import io.synergysched.simulator.cluster.RunResult;
import io.synergysched.simulator.cluster.SloTargets;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.BatchComposition;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.simulator.trace.TraceFormat;
import io.synergysched.simulator.trace.TraceLoader;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.simulator.trace.TraceTransforms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulator's figures: step times per engine configuration, saturation throughput on the
 * Azure conversation trace, and simulation speed in engine steps per CPU-second.
 */
@Command(
    name = "bench-sim",
    mixinStandardHelpOptions = true,
    description = "Print step times per engine, saturation throughput (Azure conv) and "
        + "simulated engine-steps per CPU-second.")
final class BenchSimCommand implements Callable<Integer> {

  private static final List<String> ENGINES = List.of("a100:llama-2-7b:tp1", "h100:llama-2-7b:tp1",
      "a100:llama-3-8b:tp1", "a100:llama-2-70b:tp2", "h100:llama-2-70b:tp2");

  @Option(names = "--window-s", defaultValue = "900", description = "trace window, seconds")
  double windowS;

  @Option(names = "--saturation-scale", defaultValue = "20",
      description = "rate scale that saturates one engine")
  double saturationScale;

  @Override
  public Integer call() {
    ProfileDirectory profiles = ProfileDirectory.shared();
    System.out.println("Step time (ms, exact) per engine configuration");
    System.out.printf("%-22s %12s %10s %10s %10s%n", "engine", "prefill 512", "1 dec@1k",
        "32 dec@1k", "128 dec@1k");
    for (String engine : ENGINES) {
      ProfiledStepLatency l = ProfiledStepLatency.load(profiles, EngineSpec.parse(engine), ProfileOptions.DEFAULT);
      BatchComposition b = new BatchComposition();
      System.out.printf("%-22s %12.2f %10.2f %10.2f %10.2f%n", engine,
          l.stepMs(b.clear().addPrefillChunk(512, 0)), l.stepMs(b.clear().addDecodes(1, 1024)),
          l.stepMs(b.clear().addDecodes(32, 1024)), l.stepMs(b.clear().addDecodes(128, 1024)));
    }

    List<TraceRequest> conv = TraceTransforms.window(TraceLoader.load(SharedDataLocator.dataRoot()
        .resolve("traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv"), TraceFormat.AZURE, null), 0, windowS);
    SloTargets slo = new SloTargets(1000, 100);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

    System.out.printf("%nSaturation throughput, one engine, Azure conv (%.0f s window at rate x%s)%n",
        windowS, saturationScale);
    System.out.printf("%-22s %14s %14s %10s %12s%n", "engine", "output tok/s", "total tok/s",
        "steps", "steps/CPU-s");
    long allSteps = 0;
    long allCpu = 0;
    for (String engine : ENGINES) {
      EngineSpec spec = EngineSpec.parse(engine);
      ProfiledStepLatency latency = ProfiledStepLatency.load(profiles, spec, ProfileOptions.DEFAULT);
      List<TraceRequest> trace = TraceTransforms.scaleRate(TraceTransforms.clipToContext(conv,
          latency.model().maxPositionEmbeddings()).requests(), saturationScale);
      ClusterSimulation sim = new ClusterSimulation(
          List.of(new EngineSetup(EngineConfig.defaults(engine), latency)), "vllm-default", 0, slo);
      long start = cpu.getCurrentThreadCpuTime();
      RunResult r = sim.run(trace, RouterRegistry.create("round-robin"), null, null);
      long used = cpu.getCurrentThreadCpuTime() - start;
      allSteps += r.steps();
      allCpu += used;
      long inputTokens = trace.stream().mapToLong(TraceRequest::promptTokens).sum();
      System.out.printf("%-22s %14.0f %14.0f %10d %12.0f%n", engine, r.throughputTokS(),
          r.throughputTokS() + inputTokens / (r.makespanMs() / 1000), r.steps(),
          r.steps() / (used / 1e9));
    }

    List<EngineSetup> cluster = new ArrayList<>();
    ProfiledStepLatency small = ProfiledStepLatency.load(profiles, EngineSpec.parse(ENGINES.get(0)), ProfileOptions.DEFAULT);
    for (int i = 0; i < 16; i++) {
      cluster.add(new EngineSetup(EngineConfig.defaults("e" + i), small));
    }
    List<TraceRequest> hour = TraceTransforms.scaleRate(TraceTransforms.clipToContext(
        TraceLoader.load(SharedDataLocator.dataRoot().resolve(
            "traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv"), TraceFormat.AZURE, null),
        4096).requests(), 8);
    ClusterSimulation sim = new ClusterSimulation(cluster, "vllm-default", 50, slo);
    sim.run(hour, RouterRegistry.create("round-robin"), null, null);
    long start = cpu.getCurrentThreadCpuTime();
    long wallStart = System.nanoTime();
    RunResult r = sim.run(hour, RouterRegistry.create("round-robin"), null, null);
    long used = cpu.getCurrentThreadCpuTime() - start;
    System.out.printf("%nSpeed: 16 x a100:llama-2-7b, the whole Azure conv hour at rate x8: %d steps, "
        + "%.2f CPU-s, %.2f s wall -> %.0f steps per CPU-second%n", r.steps(), used / 1e9,
        (System.nanoTime() - wallStart) / 1e9, r.steps() / (used / 1e9));
    System.out.printf("Saturation runs above: %.0f steps per CPU-second overall%n", allSteps / (allCpu / 1e9));
    return 0;
  }
}
