package io.synergysched.trainer.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.SloWindow;
import io.synergysched.runtime.query.EngineSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The model-trainer's Prometheus metrics, served at {@code GET /metrics} on the query port:
 * records ingested, model error per engine, SLO window attainment per engine and for the cluster,
 * dead letters by stage and source, model snapshots and LENS hints seen.
 */
public final class TrainerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Value> modelError = new ConcurrentHashMap<>();
  private final Map<String, Value> attainment = new ConcurrentHashMap<>();
  private final Map<String, Counter[]> sloCounts = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Value overallAttainment = new Value();
  private final Counter snapshots;
  private final Counter hints;

  /** A gauge's value; Micrometer holds gauge objects weakly, this map holds them strongly. */
  private static final class Value {
    volatile double value = Double.NaN;
  }

  /** @param processedRecords records this instance's stream threads processed since start */
  public TrainerMetrics(LongSupplier processedRecords) {
    FunctionCounter.builder("synergy.trainer.records.processed", processedRecords,
            LongSupplier::getAsLong)
        .description("telemetry records processed by this instance's stream threads")
        .register(registry);
    Gauge.builder("synergy.trainer.slo.attainment.overall", overallAttainment, v -> v.value)
        .description("share of the cluster's requests in the latest closed SLO window that met both SLOs")
        .register(registry);
    snapshots = Counter.builder("synergy.trainer.model.snapshots")
        .description("performance-model snapshots published on synergy.models").register(registry);
    hints = Counter.builder("synergy.trainer.lens.hints")
        .description("LENS hints seen on synergy.control.lens").register(registry);
  }

  /** Model error (recent MAPE, fraction) of every engine in the answer. */
  public void models(List<EngineSnapshot> views) {
    for (EngineSnapshot v : views) {
      if (v.model() != null) {
        modelError.computeIfAbsent(v.engineId(), e -> gauge("synergy.trainer.model.error", e,
            "recent mean absolute percentage error of the engine's step-latency model (fraction)"))
            .value = v.model().recentMape();
      }
    }
  }

  /** One closed SLO window. */
  public void sloWindow(SloWindow w) {
    long total = (long) w.getFinished() + w.getRejected();
    Counter[] counts = sloCounts.computeIfAbsent(w.getEngineId(), e -> new Counter[] {
        Counter.builder("synergy.trainer.slo.requests").tag("engine", e)
            .description("requests finished or rejected in closed SLO windows").register(registry),
        Counter.builder("synergy.trainer.slo.met").tag("engine", e)
            .description("requests in closed SLO windows that met both TTFT and TPOT SLOs")
            .register(registry)});
    counts[0].increment(total);
    counts[1].increment(w.getBothMet());
    if (total > 0) {
      attainment.computeIfAbsent(w.getEngineId(), e -> gauge("synergy.trainer.slo.attainment", e,
          "share of the engine's requests in its latest closed SLO window that met both SLOs"))
          .value = (double) w.getBothMet() / total;
    }
  }

  /** The cluster's attainment in its latest closed window, NaN when it had no request. */
  public void overallAttainment(double value) {
    overallAttainment.value = value;
  }

  public void deadLetter(DeadLetter d) {
    deadLetters.computeIfAbsent(d.getStage() + "\u0000" + d.getSourceTopic(),
        k -> Counter.builder("synergy.trainer.dead.letters").tag("stage", d.getStage())
            .tag("source", d.getSourceTopic())
            .description("records on synergy.dlq, by the stage that rejected them and source topic")
            .register(registry)).increment();
  }

  public void modelSnapshot() {
    snapshots.increment();
  }

  public void hint() {
    hints.increment();
  }

  /** The Prometheus exposition text. */
  public String scrape() {
    return registry.scrape();
  }

  private Value gauge(String name, String engine, String description) {
    Value v = new Value();
    Gauge.builder(name, v, x -> x.value).tag("engine", engine).description(description)
        .register(registry);
    return v;
  }

  @Override
  public void close() {
    registry.close();
  }
}
