package io.synergysched.simulator.matrix;

import io.synergysched.core.regime.Regime;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.simulator.cluster.SimulatorRouters;
import io.synergysched.simulator.scenario.Scenario;
import io.synergysched.simulator.scenario.StrictYaml;
import io.synergysched.simulator.trace.MarkovModulatedArrivals;
import io.synergysched.simulator.trace.TraceFormat;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a matrix YAML and checks it, failing fast with a message that names the bad key. */
public final class MatrixLoader {

  /** Arrival processes of a cell: the trace's own, or the trace re-timed by the MMPP. */
  public static final List<String> ARRIVALS = List.of("own", "bursty");

  /** At least this many seeds per cell, so that a spread exists. */
  static final int MIN_SEEDS = 3;

  private MatrixLoader() {}

  public static MatrixDefinition load(Path file) {
    MatrixDefinition matrix = StrictYaml.read(file, MatrixDefinition.class, "matrix");
    validate(matrix, file);
    return matrix;
  }

  static void validate(MatrixDefinition m, Path file) {
    require(m.name() != null && !m.name().isBlank(), file, "name", "is required");
    require(m.noiseSigma() != null && m.noiseSigma() > 0, file, "noise_sigma",
        "is required and must be > 0: every cell runs with step-time noise");
    require(m.telemetryStalenessMs() == null || m.telemetryStalenessMs() >= 0, file,
        "telemetry_staleness_ms", "must be >= 0");
    require(m.goodputAttainment() == null || (m.goodputAttainment() > 0 && m.goodputAttainment() <= 1),
        file, "goodput_attainment", "must be in (0, 1]");
    require(m.shedRetries() == null || m.shedRetries() >= 0, file, "shed_retries", "must be >= 0");
    require(m.regimes() != null && !m.regimes().isEmpty(), file, "regimes", "needs at least one regime");
    for (int i = 0; i < m.regimes().size(); i++) {
      regime(m.regimes().get(i), file, "regimes[" + i + "]");
    }
    require(m.bursty() != null && m.bursty().calmS() != null && m.bursty().burstS() != null
        && m.bursty().burstRatio() != null, file, "bursty", "needs calm_s, burst_s and burst_ratio");
    try {
      new MarkovModulatedArrivals(m.bursty().calmS(), m.bursty().burstS(), m.bursty().burstRatio(), 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": bursty: " + e.getMessage());
    }
    validateSets(m, file);
    validateClusters(m, file);
    validateTraces(m, file);
    validateWorkloads(m, file);
    require(m.reference() != null, file, "reference", "is required (router+scheduler)");
    pair(m.reference(), file, "reference");
    validateComparisons(m, file);
    if (m.quick() != null) {
      validateQuick(m, file);
    }
  }

  private static void validateSets(MatrixDefinition m, Path file) {
    require(m.sets() != null && !m.sets().isEmpty(), file, "sets", "needs at least one set");
    for (Map.Entry<String, MatrixDefinition.SetSpec> e : m.sets().entrySet()) {
      String key = "sets." + e.getKey();
      MatrixDefinition.SetSpec s = e.getValue();
      require(s != null, file, key, "is empty");
      require(s.seeds() != null && new HashSet<>(s.seeds()).size() >= MIN_SEEDS
          && !s.seeds().contains(null), file, key + ".seeds", "needs at least " + MIN_SEEDS + " distinct seeds");
      require(s.startS() == null || s.startS() >= 0, file, key + ".start_s", "must be >= 0");
      require(s.windowS() != null && s.windowS() > 0, file, key + ".window_s", "is required and must be > 0");
    }
  }

  private static void validateClusters(MatrixDefinition m, Path file) {
    require(m.clusters() != null && !m.clusters().isEmpty(), file, "clusters", "needs at least one cluster");
    for (Map.Entry<String, List<Scenario.EngineGroup>> e : m.clusters().entrySet()) {
      String key = "clusters." + e.getKey();
      require(e.getValue() != null && !e.getValue().isEmpty(), file, key, "needs at least one engine group");
      for (int i = 0; i < e.getValue().size(); i++) {
        Scenario.EngineGroup g = e.getValue().get(i);
        String at = key + "[" + i + "]";
        require(g.gpu() != null, file, at + ".gpu", "is required");
        require(g.model() != null, file, at + ".model", "is required");
        require(g.tp() == null || g.tp() >= 1, file, at + ".tp", "must be >= 1");
        require(g.count() == null || g.count() >= 1, file, at + ".count", "must be >= 1");
        require(g.noiseSigma() == null, file, at + ".noise_sigma",
            "is set by the matrix's noise_sigma for every engine");
      }
    }
  }

  private static void validateTraces(MatrixDefinition m, Path file) {
    require(m.traces() != null && !m.traces().isEmpty(), file, "traces", "needs at least one trace");
    for (Map.Entry<String, MatrixDefinition.TraceEntry> e : m.traces().entrySet()) {
      String key = "traces." + e.getKey();
      MatrixDefinition.TraceEntry t = e.getValue();
      require(t != null && t.trace() != null, file, key + ".trace", "is required");
      require(t.trace().path() != null, file, key + ".trace.path", "is required");
      require(t.trace().format() != null, file, key + ".trace.format", "is required");
      try {
        TraceFormat.parse(t.trace().format());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(file + ": " + key + ": " + ex.getMessage());
      }
      require(t.trace().startS() == null && t.trace().windowS() == null && t.trace().limit() == null,
          file, key + ".trace", "takes its window from the set (sets.*.start_s, window_s), not start_s, "
              + "window_s or limit");
      require(t.trace().mmpp() == null, file, key + ".trace.mmpp", "is the matrix's bursty arrivals");
      require(t.slo() != null && !t.slo().isEmpty(), file, key + ".slo", "needs at least one SLO level");
      for (Map.Entry<String, Scenario.SloSpec> level : t.slo().entrySet()) {
        Scenario.SloSpec slo = level.getValue();
        String at = key + ".slo." + level.getKey();
        require(slo != null && slo.ttftMs() != null && slo.ttftMs() > 0, file, at + ".ttft_ms",
            "is required and must be > 0");
        require(slo.tpotMs() != null && slo.tpotMs() > 0, file, at + ".tpot_ms", "is required and must be > 0");
      }
      require(t.rateScales() != null && !t.rateScales().isEmpty(), file, key + ".rate_scales",
          "needs at least one value");
      for (Double scale : t.rateScales()) {
        require(scale != null && scale > 0, file, key + ".rate_scales", "values must be > 0, got " + scale);
      }
    }
  }

  private static void validateWorkloads(MatrixDefinition m, Path file) {
    require(m.workloads() != null && !m.workloads().isEmpty(), file, "workloads", "needs at least one workload");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < m.workloads().size(); i++) {
      MatrixDefinition.Workload w = m.workloads().get(i);
      String key = "workloads[" + i + "]";
      require(w.trace() != null && m.traces().containsKey(w.trace()), file, key + ".trace",
          "'" + w.trace() + "' is not one of traces " + m.traces().keySet());
      require(w.cluster() != null && m.clusters().containsKey(w.cluster()), file, key + ".cluster",
          "'" + w.cluster() + "' is not one of clusters " + m.clusters().keySet());
      require(w.set() != null && m.sets().containsKey(w.set()), file, key + ".set",
          "'" + w.set() + "' is not one of sets " + m.sets().keySet());
      require(seen.add(w.trace() + "/" + w.cluster()), file, key, "repeats " + w.trace() + "/" + w.cluster());
    }
  }

  private static void validateComparisons(MatrixDefinition m, Path file) {
    require(m.comparisons() != null && !m.comparisons().isEmpty(), file, "comparisons",
        "needs at least one comparison");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < m.comparisons().size(); i++) {
      MatrixDefinition.ComparisonSpec c = m.comparisons().get(i);
      String key = "comparisons[" + i + "]";
      require(c.name() != null && names.add(c.name()), file, key + ".name", "is required and unique");
      require(c.ours() != null, file, key + ".ours", "is required (router+scheduler)");
      PolicyPair ours = pair(c.ours(), file, key + ".ours");
      require(c.baselines() != null && !c.baselines().isEmpty(), file, key + ".baselines",
          "needs at least one pair");
      for (int j = 0; j < c.baselines().size(); j++) {
        PolicyPair baseline = pair(c.baselines().get(j), file, key + ".baselines[" + j + "]");
        require(!baseline.equals(ours), file, key + ".baselines[" + j + "]", "is our own pair " + ours);
      }
    }
  }

  private static void validateQuick(MatrixDefinition m, Path file) {
    MatrixDefinition.QuickSpec q = m.quick();
    require(q.workloads() != null && !q.workloads().isEmpty(), file, "quick.workloads",
        "needs at least one trace/cluster");
    for (int i = 0; i < q.workloads().size(); i++) {
      String name = q.workloads().get(i);
      MatrixDefinition.Workload w = m.workloads().stream()
          .filter(x -> (x.trace() + "/" + x.cluster()).equals(name)).findFirst().orElse(null);
      require(w != null, file, "quick.workloads[" + i + "]", "'" + name + "' is not a workload trace/cluster");
      if (q.slos() != null) {
        for (String slo : q.slos()) {
          require(m.traces().get(w.trace()).slo().containsKey(slo), file, "quick.slos",
              "'" + slo + "' is not an SLO level of trace " + w.trace());
        }
      }
    }
    if (q.arrivals() != null) {
      for (String a : q.arrivals()) {
        require(ARRIVALS.contains(a), file, "quick.arrivals", "'" + a + "' is not one of " + ARRIVALS);
      }
    }
    if (q.pairs() != null) {
      for (int i = 0; i < q.pairs().size(); i++) {
        pair(q.pairs().get(i), file, "quick.pairs[" + i + "]");
      }
      require(q.pairs().contains(m.reference()), file, "quick.pairs", "must hold the reference " + m.reference());
    }
  }

  static Regime regime(String value, Path file, String key) {
    try {
      return Regime.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + key + ": " + e.getMessage());
    }
  }

  private static PolicyPair pair(String text, Path file, String key) {
    PolicyPair pair;
    try {
      pair = PolicyPair.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + key + ": " + e.getMessage());
    }
    require(SimulatorRouters.names().contains(pair.router()), file, key,
        "unknown router '" + pair.router() + "', known: " + SimulatorRouters.names());
    require(BatchSchedulerRegistry.names().contains(pair.scheduler()), file, key,
        "unknown scheduler '" + pair.scheduler() + "', known: " + BatchSchedulerRegistry.names());
    return pair;
  }

  private static void require(boolean ok, Path file, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(file + ": " + key + " " + problem);
    }
  }
}
