package io.synergysched.simulator.scenario;

import io.synergysched.core.regime.Regime;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.cluster.ClusterSimulation;
import io.synergysched.simulator.cluster.EngineSetup;
import io.synergysched.simulator.cluster.RunResult;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.trace.RecordingReader;
import io.synergysched.simulator.trace.TraceRequest;
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

  /** Told the share of the planned work done, from the simulation thread. */
  public interface Progress {
    void update(String run, double fraction);
  }

  private final Scenario scenario;
  private final Regime regime;
  private final Path scenarioFile;
  private final Progress progress;
  private final Function<Path, StepTelemetrySink> telemetrySinks;
  private final RecordingReader recordings;

  /**
   * @param telemetrySinks opens the sink for {@code telemetry.avro}; may be null when the scenario
   *     does not record telemetry
   */
  public ScenarioRunner(Scenario scenario, Path scenarioFile, Progress progress,
      Function<Path, StepTelemetrySink> telemetrySinks) {
    this(scenario, scenarioFile, progress, telemetrySinks, null);
  }

  /**
   * @param recordings reads trace format {@code recording}; may be null when the scenario's trace
   *     is in another format
   */
  public ScenarioRunner(Scenario scenario, Path scenarioFile, Progress progress,
      Function<Path, StepTelemetrySink> telemetrySinks, RecordingReader recordings) {
    this.scenario = scenario;
    this.regime = Regime.parse(scenario.regime());
    this.scenarioFile = scenarioFile;
    this.progress = progress == null ? (run, fraction) -> { } : progress;
    this.telemetrySinks = telemetrySinks;
    this.recordings = recordings;
  }

  /** Runs everything and writes the reports into {@code outDir}; returns the results table. */
  public Map<String, RunResult> run(Path outDir) {
    PreparedScenario prepared = PreparedScenario.of(scenario, scenarioFile, recordings);
    List<EngineSetup> engines = prepared.engines();
    List<TraceRequest> requests = prepared.requests();
    double target = prepared.goodputTarget();
    boolean record = Boolean.TRUE.equals(scenario.recordTelemetry());
    if (record && telemetrySinks == null) {
      throw new IllegalArgumentException("record_telemetry: true, but no telemetry writer is available");
    }
    for (String router : scenario.routers()) {
      prepared.router(router); // fails now, naming the key, if the regime cannot build it
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir, e);
    }

    int gridRuns = scenario.routers().size() * scenario.schedulers().size() * scenario.rateScales().size();
    int plannedRuns = gridRuns + scenario.routers().size() * scenario.schedulers().size()
        * (GoodputSearch.BISECTION_STEPS + 2);
    int[] done = {0};
    Map<String, RunResult> results = new TreeMap<>();
    StringBuilder csv = new StringBuilder(RESULTS_HEADER).append('\n');
    StringBuilder goodputCsv = new StringBuilder(GOODPUT_HEADER).append('\n');
    List<String[]> goodputRows = new ArrayList<>();
    StepTelemetrySink sink = record ? telemetrySinks.apply(outDir.resolve("telemetry.avro")) : null;
    try {
      for (String routerName : scenario.routers()) {
        for (String schedulerName : scenario.schedulers()) {
          ClusterSimulation simulation = prepared.simulation(schedulerName);
          GoodputSearch search = new GoodputSearch(s -> {
            String label = routerName + "/" + schedulerName + "/" + number(s);
            double base0 = (double) done[0] / plannedRuns;
            RunResult r = simulation.run(
                prepared.atRateScale(s), prepared.router(routerName), null,
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
              r = simulation.run(prepared.atRateScale(scale), prepared.router(routerName), listeners, null);
              search.record(scale, r);
              done[0]++;
              progress.update(label, (double) done[0] / plannedRuns);
            } else {
              r = search.at(scale);
            }
            results.put(label, r);
            csv.append(resultRow(routerName, schedulerName, scale, r, prepared.clippedCount()));
          }
          double goodput = search.goodput(target);
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
        summary(engines, requests.size(), prepared.clippedCount(), results, goodputRows, target));
    return results;
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
