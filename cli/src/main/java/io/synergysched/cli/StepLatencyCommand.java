package io.synergysched.cli;

import io.synergysched.simulator.profile.BatchComposition;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the exact (noise-free) time of one engine step composed from the measured profiles. */
@Command(
    name = "step-latency",
    mixinStandardHelpOptions = true,
    description = "Exact step time (ms, noise off) of one batch on one engine configuration; "
        + "the number is alone on the last line.")
final class StepLatencyCommand implements Callable<Integer> {

  @Option(names = "--engine", required = true, description = "GPU:MODEL:tpN, e.g. a100:llama-2-70b:tp2")
  String engine;

  @Option(names = "--profiles", description = "profile directory in Vidur's layout "
      + "(default: ../shared/data/profiles/vidur)")
  Path profiles;

  @Option(names = "--prefill", paramLabel = "TOKENS[@CACHED]",
      description = "a prefill chunk of TOKENS behind CACHED cached tokens (repeatable)")
  List<String> prefills = new ArrayList<>();

  @Option(names = "--decode", paramLabel = "COUNT", description = "decoding requests")
  int decodes;

  @Option(names = "--context", paramLabel = "TOKENS", description = "context of each decode")
  int context;

  @Option(names = "--cpu-overhead", description = "add Vidur's CPU overhead per step")
  boolean cpuOverhead;

  @Option(names = "--raw", description = "use the raw medians (no monotone fit)")
  boolean raw;

  @Override
  public Integer call() {
    ProfileDirectory directory =
        profiles == null ? ProfileDirectory.shared() : new ProfileDirectory(profiles);
    ProfiledStepLatency latency = ProfiledStepLatency.load(
        directory, EngineSpec.parse(engine), new ProfileOptions(!raw, cpuOverhead));
    BatchComposition batch = new BatchComposition();
    for (String prefill : prefills) {
      String[] parts = prefill.split("@");
      try {
        int tokens = Integer.parseInt(parts[0].trim());
        int cached = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
        if (tokens <= 0 || cached < 0 || parts.length > 2) {
          throw new NumberFormatException();
        }
        batch.addPrefillChunk(tokens, cached);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--prefill '" + prefill + "' is not TOKENS[@CACHED] with TOKENS > 0");
      }
    }
    if (decodes < 0) {
      throw new IllegalArgumentException("--decode must be >= 0");
    }
    if (decodes > 0) {
      if (context <= 0) {
        throw new IllegalArgumentException("--decode needs --context TOKENS > 0");
      }
      batch.addDecodes(decodes, context);
    }
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch: give --prefill and/or --decode");
    }
    System.out.println("engine " + latency.spec() + ", " + latency.model().numLayers()
        + " layers; attention " + latency.attentionSource());
    System.out.printf(Locale.ROOT, "%.4f%n", latency.stepMs(batch));
    return 0;
  }
}
