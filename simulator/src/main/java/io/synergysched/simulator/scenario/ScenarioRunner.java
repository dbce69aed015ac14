package io.synergysched.simulator.scenario;

import io.synergysched.core.regime.Regime;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.SharedDataLocator;
import io.synergysched.simulator.cluster.ClusterSimulation;
import io.synergysched.simulator.cluster.EngineSetup;
import io.synergysched.simulator.cluster.RunResult;
import io.synergysched.simulator.cluster.SimulatorRouters;
import io.synergysched.simulator.cluster.SloTargets;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.simulator.trace.SyntheticArrivals;
import io.synergysched.simulator.trace.TraceFormat;
import io.synergysched.simulator.trace.TraceLoader;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.simulator.trace.TraceTransforms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs a {@link Scenario}: every router x scheduler x rate scale, then the goodput of every
 * router x scheduler by bisection on the rate scale; writes {@code results.csv},
 * {@code goodput.csv} and {@code summary.md}, each naming the scenario's {@link Regime}. Output
 * depends only on the scenario and the data, so the same seed gives byte-identical files.
 */
public final class ScenarioRunner {

  /**
   * The columns of {@code results.csv}. The latency percentiles without a prefix are over every
   * request, an unserved one (shed or rejected) as infinitely late ({@code inf}); the
   * {@code served_} ones over the served requests only.
   */
  public static final String RESULTS_HEADER = "scenario,regime,router,scheduler,rate_scale,requests,"
      + "slo_attainment,ttft_attainment,tpot_attainment,ttft_p50_ms,ttft_p99_ms,tpot_p50_ms,"
      + "tpot_p99_ms,e2e_p50_ms,served_ttft_p50_ms,served_ttft_p99_ms,served_tpot_p50_ms,"
      + "served_tpot_p99_ms,served_e2e_p50_ms,throughput_tok_s,rejected,clipped,preemptions,steps,"
      + "makespan_s,shed,held,held_routed,"
      + "sched_deferred,sched_deferred_served,sched_deferred_served_in_slo,sched_shed,"
      + "retries,retries_routed,retries_in_slo";
  public static final String GOODPUT_HEADER = "scenario,regime,router,scheduler,goodput_rate_scale";

  private static final int BISECTION_STEPS = 6;
  private static final int DOUBLINGS = 4;

  /** Told the share of the planned work done, from the simulation thread. */
  public interface Progress {
    void update(String run, double fraction);
  }

  private final Scenario scenario;
  private final Regime regime;
  private final Path scenarioFile;
  private final Progress progress;
  private final Function<Path, StepTelemetrySink> telemetrySinks;

  /**
   * @param telemetrySinks opens the sink for {@code telemetry.avro}; may be null when the scenario
   *     does not record telemetry
   */
  public ScenarioRunner(Scenario scenario, Path scenarioFile, Progress progress,
      Function<Path, StepTelemetrySink> telemetrySinks) {
    this.scenario = scenario;
    this.regime = Regime.parse(scenario.regime());
    this.scenarioFile = scenarioFile;
    this.progress = progress == null ? (run, fraction) -> { } : progress;
    this.telemetrySinks = telemetrySinks;
  }

  /** Runs everything and writes the reports into {@code outDir}; returns the results table. */
  public Map<String, RunResult> run(Path outDir) {
    long seed = scenario.seed() == null ? 1L : scenario.seed();
    ProfileDirectory profiles = scenario.profiles() == null
        ? ProfileDirectory.shared()
        : new ProfileDirectory(resolve(scenario.profiles()));
    List<EngineSetup> engines = engines(profiles, seed);
    int maxModelLen = Integer.MAX_VALUE;
    for (EngineSetup e : engines) {
      int len = e.config().maxModelLen() > 0
          ? e.config().maxModelLen() : e.latency().model().maxPositionEmbeddings();
      maxModelLen = Math.min(maxModelLen, len);
    }
    List<TraceRequest> base = trace(seed);
    TraceTransforms.Clipped clipped = TraceTransforms.clipToContext(base, maxModelLen);
    List<TraceRequest> requests = clipped.requests();
    SloTargets slo = new SloTargets(scenario.slo().ttftMs(), scenario.slo().tpotMs());
    double staleness = scenario.telemetryStalenessMs() == null ? 0 : scenario.telemetryStalenessMs();
    double target = scenario.goodputAttainment() == null ? 0.9 : scenario.goodputAttainment();
    boolean record = Boolean.TRUE.equals(scenario.recordTelemetry());
    if (record && telemetrySinks == null) {
      throw new IllegalArgumentException("record_telemetry: true, but no telemetry writer is available");
    }
    for (String router : scenario.routers()) {
      SimulatorRouters.create(router, regime); // fails now, naming the key, if the regime cannot build it
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir, e);
    }

    int gridRuns = scenario.routers().size() * scenario.schedulers().size() * scenario.rateScales().size();
    int plannedRuns = gridRuns + scenario.routers().size() * scenario.schedulers().size()
        * (BISECTION_STEPS + 2);
    int[] done = {0};
    Map<String, RunResult> results = new TreeMap<>();
    StringBuilder csv = new StringBuilder(RESULTS_HEADER).append('\n');
    StringBuilder goodputCsv = new StringBuilder(GOODPUT_HEADER).append('\n');
    List<String[]> goodputRows = new ArrayList<>();
    StepTelemetrySink sink = record ? telemetrySinks.apply(outDir.resolve("telemetry.avro")) : null;
    try {
      for (String routerName : scenario.routers()) {
        for (String schedulerName : scenario.schedulers()) {
          ClusterSimulation simulation = new ClusterSimulation(engines, schedulerName, staleness, slo,
              scenario.shedRetries() == null ? 0 : scenario.shedRetries(), regime);
          TreeMap<Double, RunResult> byScale = new TreeMap<>();
          Function<Double, RunResult> runAt = scale -> byScale.computeIfAbsent(scale, s -> {
            String label = routerName + "/" + schedulerName + "/" + number(s);
            double base0 = (double) done[0] / plannedRuns;
            RunResult r = simulation.run(
                TraceTransforms.scaleRate(requests, s), SimulatorRouters.create(routerName, regime), null,
                f -> progress.update(label, base0 + f / plannedRuns));
            done[0]++;
            progress.update(label, (double) done[0] / plannedRuns);
            return r;
          });
          for (Double scale : scenario.rateScales()) {
            String label = routerName + "/" + schedulerName + "/" + number(scale);
            RunResult r;
            if (sink != null) {
              Function<String, EngineListener> listeners = engineId -> new EngineListener() {
                @Override
                public void onStep(StepObservation step) {
                  sink.write(label, step);
                }
              };
              r = simulation.run(TraceTransforms.scaleRate(requests, scale),
                  SimulatorRouters.create(routerName, regime), listeners, null);
              byScale.put(scale, r);
              done[0]++;
              progress.update(label, (double) done[0] / plannedRuns);
            } else {
              r = runAt.apply(scale);
            }
            results.put(label, r);
            csv.append(resultRow(routerName, schedulerName, scale, r, clipped.clippedCount()));
          }
          double goodput = goodput(byScale, runAt, target);
          goodputCsv.append(String.join(",", scenario.name(), regime.key(), routerName, schedulerName,
                  number(goodput)))
              .append('\n');
          goodputRows.add(new String[] {routerName, schedulerName, number(goodput)});
        }
      }
    } finally {
      if (sink != null) {
        sink.close();
      }
    }
    progress.update("done", 1.0);
    write(outDir.resolve("results.csv"), csv.toString());
    write(outDir.resolve("goodput.csv"), goodputCsv.toString());
    write(outDir.resolve("summary.md"),
        summary(engines, requests.size(), clipped.clippedCount(), results, goodputRows, target));
    return results;
  }

  /**
   * Highest rate scale whose attainment reaches the target (DistServe's goodput): bracket with
   * the grid (doubling past it when even the largest scale passes), then bisect.
   */
  private static double goodput(TreeMap<Double, RunResult> byScale, Function<Double, RunResult> runAt,
      double target) {
    double lo = 0;
    double hi = Double.NaN;
    for (Map.Entry<Double, RunResult> e : new TreeMap<>(byScale).entrySet()) {
      if (e.getValue().sloAttainment() >= target) {
        if (Double.isNaN(hi)) {
          lo = e.getKey();
        }
      } else if (Double.isNaN(hi)) {
        hi = e.getKey();
      }
    }
    if (Double.isNaN(hi)) {
      double scale = byScale.lastKey();
      for (int i = 0; i < DOUBLINGS && Double.isNaN(hi); i++) {
        scale *= 2;
        if (runAt.apply(scale).sloAttainment() >= target) {
          lo = scale;
        } else {
          hi = scale;
        }
      }
      if (Double.isNaN(hi)) {
        return lo;
      }
    }
    if (lo == 0) {
      lo = hi / 16;
      if (runAt.apply(lo).sloAttainment() < target) {
        return 0;
      }
    }
    for (int i = 0; i < BISECTION_STEPS && hi - lo > 0.01 * hi; i++) {
      double mid = round3((lo + hi) / 2);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (runAt.apply(mid).sloAttainment() >= target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  private List<EngineSetup> engines(ProfileDirectory profiles, long seed) {
    List<EngineSetup> setups = new ArrayList<>();
    for (Scenario.EngineGroup g : scenario.engines()) {
      EngineSpec spec = new EngineSpec(g.gpu(), g.model(), g.tp() == null ? 1 : g.tp());
      ProfiledStepLatency latency = ProfiledStepLatency.load(profiles, spec,
          new ProfileOptions(true, Boolean.TRUE.equals(g.cpuOverhead())));
      int count = g.count() == null ? 1 : g.count();
      for (int k = 0; k < count; k++) {
        int index = setups.size();
        String id = spec.gpu() + "-" + spec.model() + "-tp" + spec.tensorParallel() + "-" + index;
        EngineConfig config = new EngineConfig(id, EngineConfig.BLOCK_SIZE.defaultValue(),
            orDefault(g.gpuMemoryUtilization(), EngineConfig.GPU_MEMORY_UTILIZATION),
            orDefault(g.activationReserveGb(), EngineConfig.ACTIVATION_RESERVE_GB),
            orDefault(g.prefixCaching(), EngineConfig.PREFIX_CACHING),
            orDefault(g.noiseSigma(), EngineConfig.NOISE_SIGMA),
            seed * 1_000_003L + index,
            orDefault(g.maxModelLen(), EngineConfig.MAX_MODEL_LEN),
            orDefault(g.kvBlocks(), EngineConfig.KV_BLOCKS)).validate();
        setups.add(new EngineSetup(config, latency));
      }
    }
    return setups;
  }

  private static <T> T orDefault(T value, Setting<T> setting) {
    return value == null ? setting.defaultValue() : value;
  }

  private List<TraceRequest> trace(long seed) {
    Scenario.TraceSpec t = scenario.trace();
    TraceFormat format = TraceFormat.parse(t.format());
    SyntheticArrivals arrivals = t.ratePerS() == null ? null
        : new SyntheticArrivals(t.arrival(), t.ratePerS(), t.cv() == null ? 1.0 : t.cv(), seed);
    List<TraceRequest> requests = TraceLoader.load(resolve(t.path()), format, arrivals);
    requests = TraceTransforms.window(requests, t.startS() == null ? 0 : t.startS(),
        t.windowS() == null ? 0 : t.windowS());
    if (t.limit() != null && t.limit() < requests.size()) {
      requests = requests.subList(0, t.limit());
    }
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("trace: no requests left after trace.start_s/window_s");
    }
    return requests;
  }

  /** Paths are taken relative to the working directory (or an ancestor), then the scenario file. */
  private Path resolve(String path) {
    Path p = SharedDataLocator.resolveUserPath(path);
    if (!Files.exists(p) && scenarioFile != null && scenarioFile.toAbsolutePath().getParent() != null) {
      Path besideScenario = scenarioFile.toAbsolutePath().getParent().resolve(path).normalize();
      if (Files.exists(besideScenario)) {
        return besideScenario;
      }
    }
    return p;
  }

  private String resultRow(String router, String scheduler, double scale, RunResult r, int clipped) {
    return String.join(",", scenario.name(), regime.key(), router, scheduler, number(scale),
        Integer.toString(r.requests()), fixed(r.sloAttainment()), fixed(r.ttftAttainment()),
        fixed(r.tpotAttainment()), fixed(r.ttftP50Ms()), fixed(r.ttftP99Ms()), fixed(r.tpotP50Ms()),
        fixed(r.tpotP99Ms()), fixed(r.e2eP50Ms()), fixed(r.servedTtftP50Ms()), fixed(r.servedTtftP99Ms()),
        fixed(r.servedTpotP50Ms()), fixed(r.servedTpotP99Ms()), fixed(r.servedE2eP50Ms()),
        fixed(r.throughputTokS()),
        Integer.toString(r.rejected()), Integer.toString(clipped), Long.toString(r.preemptions()),
        Long.toString(r.steps()), fixed(r.makespanMs() / 1000), Integer.toString(r.shed()),
        Integer.toString(r.held()), Integer.toString(r.heldRouted()),
        Long.toString(r.triage().deferred()), Long.toString(r.triage().deferredServed()),
        Long.toString(r.triage().deferredServedInSlo()), Long.toString(r.triage().shed()),
        Integer.toString(r.retries()), Integer.toString(r.retriesRouted()), Integer.toString(r.retriesInSlo())) + "\n";
  }

  private String summary(List<EngineSetup> engines, int requests, int clipped,
      Map<String, RunResult> results, List<String[]> goodput, double target) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(scenario.name()).append("\n\n");
    md.append("Trace `").append(scenario.trace().path()).append("` (").append(scenario.trace().format())
        .append("): ").append(requests).append(" requests, ").append(clipped)
        .append(" clipped to the model context. SLO: TTFT ").append(number(scenario.slo().ttftMs()))
        .append(" ms, TPOT ").append(number(scenario.slo().tpotMs())).append(" ms. Telemetry staleness ")
        .append(number(scenario.telemetryStalenessMs() == null ? 0 : scenario.telemetryStalenessMs()))
        .append(" ms. Regime: `").append(regime.key()).append("` (").append(regime.meaning())
        .append(").\n\n");
    md.append("| engine | gpu | model | tp | KV blocks |\n|---|---|---|---:|---:|\n");
    for (EngineSetup e : engines) {
      md.append("| ").append(e.config().engineId()).append(" | ").append(e.latency().spec().gpu())
          .append(" | ").append(e.latency().spec().model()).append(" | ")
          .append(e.latency().spec().tensorParallel()).append(" | ")
          .append(e.config().kvBlocks(e.latency().model(), e.latency().device(),
              e.latency().spec().tensorParallel()))
          .append(" |\n");
    }
    md.append("\nEvery statistic counts a shed or rejected request as an SLO miss. Latency percentiles"
        + " \"all\" are over every request, an unserved one as infinitely late (`inf`); \"served\" over"
        + " the served requests only.\n");
    md.append("\n| router | scheduler | rate scale | SLO attainment | TTFT p50 / p99 ms, all | "
        + "TTFT p50 / p99 ms, served | TPOT p50 / p99 ms, all | TPOT p50 / p99 ms, served | "
        + "E2E p50 ms, all / served | throughput tok/s | preemptions | shed | held |\n"
        + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String router : scenario.routers()) {
      for (String scheduler : scenario.schedulers()) {
        for (Double scale : scenario.rateScales()) {
          RunResult r = results.get(router + "/" + scheduler + "/" + number(scale));
          md.append(String.format(Locale.ROOT,
              "| %s | %s | %s | %.1f%% | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %.0f | %d | %d | %d |%n",
              router, scheduler, number(scale), r.sloAttainment() * 100,
              rounded(r.ttftP50Ms(), 0), rounded(r.ttftP99Ms(), 0),
              rounded(r.servedTtftP50Ms(), 0), rounded(r.servedTtftP99Ms(), 0),
              rounded(r.tpotP50Ms(), 1), rounded(r.tpotP99Ms(), 1),
              rounded(r.servedTpotP50Ms(), 1), rounded(r.servedTpotP99Ms(), 1),
              rounded(r.e2eP50Ms(), 0), rounded(r.servedE2eP50Ms(), 0),
              r.throughputTokS(), r.preemptions(), r.shed(), r.held()));
        }
      }
    }
    md.append("\nGoodput (regime `").append(regime.key()).append("`): highest rate scale with SLO attainment >= ")
        .append(number(target * 100)).append("%.\n\n| router | scheduler | goodput rate scale |\n|---|---|---:|\n");
    for (String[] row : goodput) {
      md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
    }
    return md.toString();
  }

  static String number(double x) {
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  private static String fixed(double x) {
    return rounded(x, 4);
  }

  /** {@code x} with {@code digits} decimals; {@code inf} for an infinite latency, {@code NaN} for none. */
  private static String rounded(double x, int digits) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", x);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
