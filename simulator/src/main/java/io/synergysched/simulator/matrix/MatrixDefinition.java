package io.synergysched.simulator.matrix;

import io.synergysched.simulator.scenario.Scenario;
import java.util.List;
import java.util.Map;

/**
 * A workload matrix: which workloads (a trace on a cluster) to run, at which SLO levels and
 * arrival processes, under which regimes, with which policy pairs and seeds, and how the cells
 * split into a tuning set and a held-out set. Field names are the YAML keys in snake_case;
 * docs/simulator.md ("Workload matrix") lists them. Maps keep the file's order, which is the
 * order of the reports.
 *
 * @param noiseSigma step-time noise of every engine of every cell (sigma of the lognormal), &gt; 0
 * @param regimes regimes every cell runs under ({@code as-shipped}, {@code equal-admission},
 *     {@code placement-only})
 * @param bursty the MMPP of the {@code bursty} arrivals (the {@code own} arrivals are the trace's)
 * @param sets the split: set name to its seeds and trace window
 * @param clusters cluster name to its engine groups (as a scenario's {@code engines})
 * @param traces trace name to the trace, its SLO levels and its starting grid of rate scales
 * @param workloads the trace x cluster combinations, each in one set
 * @param reference the pair whose goodput is the knee at which every pair's attainment is
 *     reported ({@code router+scheduler})
 * @param comparisons our pair against its baselines, by name
 * @param quick the subset {@code --quick} runs
 */
public record MatrixDefinition(
    String name,
    Double noiseSigma,
    Double telemetryStalenessMs,
    Double goodputAttainment,
    Integer shedRetries,
    String profiles,
    List<String> regimes,
    Scenario.MmppSpec bursty,
    Map<String, SetSpec> sets,
    Map<String, List<Scenario.EngineGroup>> clusters,
    Map<String, TraceEntry> traces,
    List<Workload> workloads,
    String reference,
    List<ComparisonSpec> comparisons,
    QuickSpec quick) {

  /**
   * @param seeds seeds of every cell of the set (at least 3)
   * @param startS start of the trace window, seconds of trace time
   * @param windowS length of the trace window, seconds, &gt; 0
   */
  public record SetSpec(List<Long> seeds, Double startS, Double windowS) {}

  /**
   * @param trace path, format and (for formats without times) the arrival process; the window
   *     comes from the set and the MMPP from {@code bursty}
   * @param slo SLO level name ({@code moderate}, {@code tight}) to its targets
   * @param rateScales the first rate scales of every goodput search on this trace
   */
  public record TraceEntry(Scenario.TraceSpec trace, Map<String, Scenario.SloSpec> slo,
      List<Double> rateScales) {}

  public record Workload(String trace, String cluster, String set) {}

  /** @param ours our pair; {@code baselines} the pairs it is compared with */
  public record ComparisonSpec(String name, String ours, List<String> baselines) {}

  /**
   * @param workloads {@code trace/cluster} names of the workloads to keep
   * @param slos SLO levels to keep
   * @param arrivals arrival processes to keep ({@code own}, {@code bursty})
   * @param pairs pairs to keep; comparisons without their pair or any baseline are left out
   */
  public record QuickSpec(List<String> workloads, List<String> slos, List<String> arrivals,
      List<String> pairs) {}
}
