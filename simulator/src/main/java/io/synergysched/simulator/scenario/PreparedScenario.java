package io.synergysched.simulator.scenario;

import io.synergysched.core.regime.Regime;
import io.synergysched.core.routing.Router;
import io.synergysched.core.setting.Setting;
import io.synergysched.simulator.SharedDataLocator;
import io.synergysched.simulator.cluster.ClusterSimulation;
import io.synergysched.simulator.cluster.EngineSetup;
import io.synergysched.simulator.cluster.SimulatorRouters;
import io.synergysched.simulator.cluster.SloTargets;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.simulator.trace.MarkovModulatedArrivals;
import io.synergysched.simulator.trace.RecordingReader;
import io.synergysched.simulator.trace.SyntheticArrivals;
import io.synergysched.simulator.trace.TraceFormat;
import io.synergysched.simulator.trace.TraceLoader;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.simulator.trace.TraceTransforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Scenario} made ready to run: its engines built from the profiles, its trace read,
 * windowed, re-timed (with {@code trace.mmpp}) and clipped to the cluster's context, its settings
 * resolved to their defaults. The
 * scenario runner and the matrix runner both start from it. Immutable; safe to share between
 * threads, since every run builds its own engines and router.
 */
public final class PreparedScenario {

  private final Scenario scenario;
  private final List<EngineSetup> engines;
  private final List<TraceRequest> requests;
  private final int clippedCount;
  private final SloTargets slo;
  private final Regime regime;

  private PreparedScenario(Scenario scenario, List<EngineSetup> engines, List<TraceRequest> requests,
      int clippedCount) {
    this.scenario = scenario;
    this.engines = List.copyOf(engines);
    this.requests = List.copyOf(requests);
    this.clippedCount = clippedCount;
    this.slo = new SloTargets(scenario.slo().ttftMs(), scenario.slo().tpotMs());
    this.regime = Regime.parse(scenario.regime());
  }

  /**
   * @param scenarioFile where the scenario came from: relative paths that do not resolve from the
   *     working directory are taken relative to it; may be null
   * @param recordings reader of trace format {@code recording}, or null when none is available
   */
  public static PreparedScenario of(Scenario scenario, Path scenarioFile, RecordingReader recordings) {
    long seed = seed(scenario);
    ProfileDirectory profiles = scenario.profiles() == null
        ? ProfileDirectory.shared()
        : new ProfileDirectory(resolve(scenario.profiles(), scenarioFile));
    List<EngineSetup> engines = engines(scenario, profiles, seed);
    int maxModelLen = Integer.MAX_VALUE;
    for (EngineSetup e : engines) {
      int len = e.config().maxModelLen() > 0
          ? e.config().maxModelLen() : e.latency().model().maxPositionEmbeddings();
      maxModelLen = Math.min(maxModelLen, len);
    }
    List<TraceRequest> base = trace(scenario, scenarioFile, recordings, seed);
    TraceTransforms.Clipped clipped = TraceTransforms.clipToContext(base, maxModelLen);
    return new PreparedScenario(scenario, engines, clipped.requests(), clipped.clippedCount());
  }

  public Scenario scenario() {
    return scenario;
  }

  public List<EngineSetup> engines() {
    return engines;
  }

  /** The requests at rate scale 1, after the window, the re-timing and the clipping. */
  public List<TraceRequest> requests() {
    return requests;
  }

  /** Requests whose prompt was cut to fit the smallest model context of the cluster. */
  public int clippedCount() {
    return clippedCount;
  }

  public SloTargets slo() {
    return slo;
  }

  public Regime regime() {
    return regime;
  }

  public double stalenessMs() {
    return scenario.telemetryStalenessMs() == null ? 0 : scenario.telemetryStalenessMs();
  }

  /** Attainment that defines goodput, in (0, 1]. */
  public double goodputTarget() {
    return scenario.goodputAttainment() == null ? 0.9 : scenario.goodputAttainment();
  }

  /** The cluster with every engine running {@code scheduler}, under the scenario's regime. */
  public ClusterSimulation simulation(String scheduler) {
    return new ClusterSimulation(engines, scheduler, stalenessMs(), slo,
        scenario.shedRetries() == null ? 0 : scenario.shedRetries(), regime);
  }

  /** A fresh router, under the scenario's regime. */
  public Router router(String name) {
    return SimulatorRouters.create(name, regime);
  }

  /** The requests at {@code scale} times the trace's rate: every arrival divided by the scale. */
  public List<TraceRequest> atRateScale(double scale) {
    return TraceTransforms.scaleRate(requests, scale);
  }

  private static long seed(Scenario scenario) {
    return scenario.seed() == null ? 1L : scenario.seed();
  }

  /** Mean rate of the kept requests, per second: (n - 1) arrivals over the span of their times. */
  private static double meanRate(List<TraceRequest> requests) {
    double span = requests.isEmpty() ? 0
        : requests.get(requests.size() - 1).arrivalMs() - requests.get(0).arrivalMs();
    if (!(span > 0)) {
      throw new IllegalArgumentException(
          "trace.mmpp needs at least two requests at different times to take the trace's rate from");
    }
    return (requests.size() - 1) / (span / 1000);
  }

  private static List<EngineSetup> engines(Scenario scenario, ProfileDirectory profiles, long seed) {
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

  private static List<TraceRequest> trace(Scenario scenario, Path scenarioFile,
      RecordingReader recordings, long seed) {
    Scenario.TraceSpec t = scenario.trace();
    TraceFormat format = TraceFormat.parse(t.format());
    SyntheticArrivals arrivals = t.ratePerS() == null ? null
        : new SyntheticArrivals(t.arrival(), t.ratePerS(), t.cv() == null ? 1.0 : t.cv(), seed);
    List<TraceRequest> requests = TraceLoader.load(resolve(t.path(), scenarioFile), format, arrivals,
        recordings);
    requests = TraceTransforms.window(requests, t.startS() == null ? 0 : t.startS(),
        t.windowS() == null ? 0 : t.windowS());
    if (t.limit() != null && t.limit() < requests.size()) {
      requests = requests.subList(0, t.limit());
    }
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("trace: no requests left after trace.start_s/window_s");
    }
    Scenario.MmppSpec m = t.mmpp();
    if (m != null) {
      requests = new MarkovModulatedArrivals(m.calmS(), m.burstS(), m.burstRatio(), seed)
          .retime(requests, meanRate(requests));
    }
    return requests;
  }

  /** Paths are taken relative to the working directory (or an ancestor), then the scenario file. */
  static Path resolve(String path, Path scenarioFile) {
    Path p = SharedDataLocator.resolveUserPath(path);
    if (!Files.exists(p) && scenarioFile != null && scenarioFile.toAbsolutePath().getParent() != null) {
      Path besideScenario = scenarioFile.toAbsolutePath().getParent().resolve(path).normalize();
      if (Files.exists(besideScenario)) {
        return besideScenario;
      }
    }
    return p;
  }
}
