package io.synergysched.cli;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.cluster.OfflinePriorCatalog;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cost of one PRISM decision at 8, 64 and 1,024 engines (half A100, half H100, Llama-2-7B, priors
 * fitted offline from the Vidur profiles): each engine carries a steady load (about 30 decoding and
 * a few queued requests in the router's ledger, fresh step reports), and every timed decision is
 * followed, untimed, by the completion of an older request so the load stays put. Single thread;
 * the figures are wall-clock nanoseconds per {@code route} call after a warm-up.
 */
@Command(
    name = "bench-prism",
    mixinStandardHelpOptions = true,
    description = "Latency (p50/p99) and throughput of one PRISM routing decision at 8, 64 and 1024 engines.")
final class BenchPrismCommand implements Callable<Integer> {

  @Option(names = "--engines", split = ",", defaultValue = "8,64,1024", description = "cluster sizes")
  int[] sizes;

  @Option(names = "--decisions", defaultValue = "200000", description = "timed decisions per size (fewer at 1024)")
  int decisions;

  @Override
  public Integer call() {
    ProfileDirectory profiles = ProfileDirectory.shared();
    Map<String, StepLatencyPrior> priors = new HashMap<>();
    for (String gpu : List.of("a100", "h100")) {
      ProfiledStepLatency l = ProfiledStepLatency.load(profiles, new EngineSpec(gpu, "llama-2-7b", 1), ProfileOptions.DEFAULT);
      String key = StepLatencyPrior.classKey(gpu, "llama-2-7b", 1);
      priors.put(key, OfflinePriorCatalog.fit(key, l));
    }
    System.out.printf("%-8s %10s %10s %10s %14s %18s%n", "engines", "p50 us", "p99 us", "mean us",
        "decisions/s", "decisions/CPU-s");
    for (int n : sizes) {
      int count = n >= 1024 ? Math.max(1000, decisions / 20) : decisions;
      long[] cpu = new long[1];
      long[] ns = run(n, priors, count, cpu);
      Arrays.sort(ns);
      double mean = Arrays.stream(ns).average().orElse(0);
      System.out.printf("%-8d %10.2f %10.2f %10.2f %14.0f %18.0f%n", n, ns[ns.length / 2] / 1e3,
          ns[(int) (ns.length * 0.99)] / 1e3, mean / 1e3, 1e9 / mean, count / (cpu[0] / 1e9));
    }
    return 0;
  }

  /**
   * @param cpuNs out: CPU time of this thread over the timed decisions, including the bench's own
   *     untimed bookkeeping (events, step reports), so decisions per CPU-second is a lower bound
   *     on one core that other processes' preemption does not distort
   */
  private static long[] run(int n, Map<String, StepLatencyPrior> priors, int timed, long[] cpuNs) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    List<View> engines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      engines.add(new View("e" + i, i % 2 == 0 ? "a100" : "h100"));
    }
    Router router = RouterRegistry.create(RouterRegistry.PRISM);
    router.useEngineClassPriors(priors::get);
    SplittableRandom random = new SplittableRandom(42);
    ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    double now = 0;
    long id = 0;
    int warm = Math.max(20_000, 40 * n);
    long[] samples = new long[timed];
    long cpuStart = 0;
    for (int k = 0; k < warm + timed; k++) {
      if (k == warm) {
        cpuStart = threads.getCurrentThreadCpuTime();
      }
      now += 1000.0 / (n * 4.0);
      RoutingRequest r = new RoutingRequest(id, now, 200 + random.nextInt(1800), 1000, 100, null, new long[0]);
      long t0 = System.nanoTime();
      int e = router.route(r, engines);
      long t1 = System.nanoTime();
      if (k >= warm) {
        samples[k - warm] = t1 - t0;
      }
      if (e >= 0) {
        inFlight.addLast(new long[] {id, e, r.promptTokens()});
        router.onRequestEventVisible(e, new RequestObservation("e" + e, id, RequestPhase.FIRST_TOKEN, now, r.promptTokens(), 1, 0));
      }
      id++;
      // Steady state: about 32 requests per engine in flight; a step report per engine now and then.
      while (inFlight.size() > 32L * n) {
        long[] old = inFlight.pollFirst();
        int oe = (int) old[1];
        router.onRequestEventVisible(oe, new RequestObservation("e" + oe, old[0], RequestPhase.FINISHED, now, (int) old[2], 200, 0));
      }
      int se = random.nextInt(n);
      router.onStepVisible(se, new StepObservation("e" + se, k, (long) now, 30_000, 0, 0, 0, 0, 0, 32, 32 * 1200L,
          2000, 7000, 2, 32, 0, 8192));
    }
    cpuNs[0] = threads.getCurrentThreadCpuTime() - cpuStart;
    return samples;
  }

  private static final class View implements EngineView {
    private final String id;
    private final String gpu;

    View(String id, String gpu) {
      this.id = id;
      this.gpu = gpu;
    }

    @Override
    public String engineId() {
      return id;
    }

    @Override
    public String gpu() {
      return gpu;
    }

    @Override
    public String model() {
      return "llama-2-7b";
    }

    @Override
    public int tensorParallel() {
      return 1;
    }

    @Override
    public double telemetryTimeMs() {
      return 0;
    }

    @Override
    public int waiting() {
      return 2;
    }

    @Override
    public int running() {
      return 32;
    }

    @Override
    public int kvBlocksUsed() {
      return 2000;
    }

    @Override
    public int kvBlocksTotal() {
      return 7000;
    }
  }
}
