package io.synergysched.simulator.matrix;

import io.synergysched.core.regime.Regime;
import io.synergysched.simulator.scenario.Scenario;
import io.synergysched.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a matrix run does: the definition expanded into cells (workload x SLO level x arrival
 * process, in the file's order), the regimes, the pairs and the comparisons, narrowed to the quick
 * subset or to some regimes when asked; and the scenario of each cell, regime and seed.
 */
public final class MatrixPlan {

  /** A comparison of our pair with its baselines, all of which the plan runs. */
  public record Comparison(String name, PolicyPair ours, List<PolicyPair> baselines) {}

  private final MatrixDefinition definition;
  private final Path file;
  private final boolean quick;
  private final List<MatrixCell> cells;
  private final List<Regime> regimes;
  private final PolicyPair reference;
  private final List<PolicyPair> pairs;
  private final List<Comparison> comparisons;

  private MatrixPlan(MatrixDefinition definition, Path file, boolean quick, List<MatrixCell> cells,
      List<Regime> regimes, List<PolicyPair> pairs, List<Comparison> comparisons) {
    this.definition = definition;
    this.file = file;
    this.quick = quick;
    this.cells = List.copyOf(cells);
    this.regimes = List.copyOf(regimes);
    this.reference = PolicyPair.parse(definition.reference());
    this.pairs = List.copyOf(pairs);
    this.comparisons = List.copyOf(comparisons);
  }

  /**
   * @param file the matrix file (trace paths that do not resolve from the working directory are
   *     taken relative to it)
   * @param quick run the definition's {@code quick} subset
   * @param regimeKeys regimes to run instead of the definition's, or null for all of them
   */
  public static MatrixPlan of(MatrixDefinition definition, Path file, boolean quick, List<String> regimeKeys) {
    MatrixDefinition.QuickSpec q = definition.quick();
    if (quick && q == null) {
      throw new IllegalArgumentException(file + ": --quick needs a quick: section");
    }
    List<MatrixCell> cells = new ArrayList<>();
    for (MatrixDefinition.Workload w : definition.workloads()) {
      if (quick && !q.workloads().contains(w.trace() + "/" + w.cluster())) {
        continue;
      }
      for (String slo : definition.traces().get(w.trace()).slo().keySet()) {
        if (quick && q.slos() != null && !q.slos().contains(slo)) {
          continue;
        }
        for (String arrival : MatrixLoader.ARRIVALS) {
          if (quick && q.arrivals() != null && !q.arrivals().contains(arrival)) {
            continue;
          }
          cells.add(new MatrixCell(w.set(), w.trace(), w.cluster(), slo, arrival));
        }
      }
    }
    List<Regime> regimes = new ArrayList<>();
    List<String> keys = regimeKeys != null ? regimeKeys : definition.regimes();
    for (String key : keys) {
      Regime r = MatrixLoader.regime(key, file, "regimes");
      if (!regimes.contains(r)) {
        regimes.add(r);
      }
    }
    if (regimes.isEmpty()) {
      throw new IllegalArgumentException("no regime to run");
    }
    Set<PolicyPair> allowed = null;
    if (quick && q.pairs() != null) {
      allowed = new LinkedHashSet<>();
      for (String p : q.pairs()) {
        allowed.add(PolicyPair.parse(p));
      }
    }
    Set<PolicyPair> pairs = new LinkedHashSet<>();
    pairs.add(PolicyPair.parse(definition.reference()));
    List<Comparison> comparisons = new ArrayList<>();
    for (MatrixDefinition.ComparisonSpec c : definition.comparisons()) {
      PolicyPair ours = PolicyPair.parse(c.ours());
      List<PolicyPair> baselines = new ArrayList<>();
      for (String b : c.baselines()) {
        PolicyPair baseline = PolicyPair.parse(b);
        if (allowed == null || allowed.contains(baseline)) {
          baselines.add(baseline);
        }
      }
      if ((allowed != null && !allowed.contains(ours)) || baselines.isEmpty()) {
        continue;
      }
      comparisons.add(new Comparison(c.name(), ours, baselines));
      pairs.add(ours);
      pairs.addAll(baselines);
    }
    if (comparisons.isEmpty()) {
      throw new IllegalArgumentException(file + ": quick.pairs leaves no comparison with its pair and a baseline");
    }
    return new MatrixPlan(definition, file, quick, cells, regimes, new ArrayList<>(pairs), comparisons);
  }

  public String name() {
    return definition.name() + (quick ? " (quick)" : "");
  }

  public List<MatrixCell> cells() {
    return cells;
  }

  public List<Regime> regimes() {
    return regimes;
  }

  /** Every pair the plan runs, the reference first. */
  public List<PolicyPair> pairs() {
    return pairs;
  }

  public PolicyPair reference() {
    return reference;
  }

  public List<Comparison> comparisons() {
    return comparisons;
  }

  public List<Long> seeds(MatrixCell cell) {
    return definition.sets().get(cell.set()).seeds();
  }

  /** Attainment that defines goodput. */
  public double goodputTarget() {
    return definition.goodputAttainment() == null ? 0.9 : definition.goodputAttainment();
  }

  /** The matrix's keys that every cell shares, for the report's header. */
  public MatrixDefinition definition() {
    return definition;
  }


  /** The scenario of one cell, regime and seed, checked like a scenario file. */
  public Scenario scenario(MatrixCell cell, Regime regime, long seed) {
    MatrixDefinition.TraceEntry entry = definition.traces().get(cell.trace());
    MatrixDefinition.SetSpec set = definition.sets().get(cell.set());
    Scenario.TraceSpec t = entry.trace();
    Scenario.TraceSpec trace = new Scenario.TraceSpec(t.path(), t.format(),
        set.startS() == null ? 0.0 : set.startS(), set.windowS(), t.ratePerS(), t.arrival(), t.cv(), null,
        cell.arrival().equals("bursty") ? definition.bursty() : null);
    List<Scenario.EngineGroup> engines = new ArrayList<>();
    for (Scenario.EngineGroup g : definition.clusters().get(cell.cluster())) {
      engines.add(new Scenario.EngineGroup(g.gpu(), g.model(), g.tp(), g.count(), g.prefixCaching(),
          definition.noiseSigma(), g.maxModelLen(), g.kvBlocks(), g.gpuMemoryUtilization(),
          g.activationReserveGb(), g.cpuOverhead()));
    }
    Set<String> routers = new LinkedHashSet<>();
    Set<String> schedulers = new LinkedHashSet<>();
    for (PolicyPair p : pairs) {
      routers.add(p.router());
      schedulers.add(p.scheduler());
    }
    Scenario scenario = new Scenario(cell.id(), seed, engines, trace, entry.slo().get(cell.slo()),
        entry.rateScales(), List.copyOf(routers), List.copyOf(schedulers), definition.telemetryStalenessMs(),
        false, definition.profiles(), definition.goodputAttainment(), definition.shedRetries(), regime.key());
    ScenarioLoader.validate(scenario, file);
    return scenario;
  }

  public Path file() {
    return file;
  }
}
