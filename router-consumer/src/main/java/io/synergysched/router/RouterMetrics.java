package io.synergysched.router;

import com.sun.net.httpserver.HttpServer;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.http.HttpAccessFilter;
import io.synergysched.runtime.http.HttpEndpoints;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's Prometheus metrics: decisions by outcome, decision latency, engine-state snapshot
 * age, requests routed per engine, dead letters; served at {@code GET /metrics} when a port is
 * configured, behind an {@link HttpAccessFilter} (limits, and a bearer token unless disabled).
 */
final class RouterMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer decisionLatency;
  private final Counter deadLetters;
  private final AtomicLong snapshotAgeMs = new AtomicLong(-1);
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Counter> routedPerEngine = new ConcurrentHashMap<>();
  private final Map<String, Timer> stages = new ConcurrentHashMap<>();
  private final HttpServer server;

  RouterMetrics(String policy, String bindHost, int port, HttpAccess access) throws IOException {
    registry.config().commonTags("policy", policy);
    decisionLatency = Timer.builder("synergy.router.decision.latency")
        .description("time to decide one request")
        .publishPercentiles(0.5, 0.99)
        .register(registry);
    deadLetters = Counter.builder("synergy.router.dead.letters")
        .description("inbound requests dead-lettered as invalid").register(registry);
    Gauge.builder("synergy.router.snapshot.age", snapshotAgeMs, AtomicLong::get)
        .baseUnit("milliseconds")
        .description("age of the engine-state snapshot used by the last decision")
        .register(registry);
    if (port >= 0) {
      server = HttpEndpoints.server(new InetSocketAddress(bindHost, port), 16, access);
      HttpAccessFilter.protect(server.createContext("/metrics", exchange -> {
        int status = 200;
        byte[] body;
        if (!exchange.getRequestURI().getPath().equals("/metrics")) {
          status = 404;
          body = "no such resource\n".getBytes(StandardCharsets.UTF_8);
        } else if (!exchange.getRequestMethod().equals("GET")) {
          status = 405;
          exchange.getResponseHeaders().set("Allow", "GET");
          body = "only GET is supported\n".getBytes(StandardCharsets.UTF_8);
        } else {
          body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }), access);
      HttpAccessFilter.warnIfOpen(access, "the router's /metrics on port " + port());
      server.start();
    } else {
      server = null;
    }
  }

  void decided(String outcome, String engineId, long nanos, long snapshotAge) {
    decisionLatency.record(nanos, TimeUnit.NANOSECONDS);
    snapshotAgeMs.set(snapshotAge);
    outcomes.computeIfAbsent(outcome, o -> Counter.builder("synergy.router.decisions")
        .tag("outcome", o).description("routing decisions").register(registry)).increment();
    if (engineId != null) {
      routedPerEngine.computeIfAbsent(engineId, e -> Counter.builder("synergy.router.routed")
          .tag("engine", e).description("requests routed to the engine").register(registry))
          .increment();
    }
  }

  /**
   * Time spent in one stage of the routing loop: {@code inbound.age} (per request: produced to
   * decided, that is the client's linger, the broker append, the fetch and the wait in the loop),
   * {@code loop.telemetry}, {@code loop.poll}, {@code batch.decide}, {@code txn.send},
   * {@code txn.offsets} and {@code txn.commit} (per transaction).
   */
  void stage(String stage, long nanos) {
    stages.computeIfAbsent(stage, s -> Timer.builder("synergy.router.stage.latency")
        .tag("stage", s)
        .description("time spent in one stage of routing")
        .publishPercentiles(0.5, 0.99)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Per stage: count, p50, p99 and max in ms (percentiles over the last minutes), one a line. */
  String stageSummary() {
    StringBuilder s = new StringBuilder();
    stages.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      HistogramSnapshot snapshot = e.getValue().takeSnapshot();
      double p50 = Double.NaN;
      double p99 = Double.NaN;
      for (ValueAtPercentile v : snapshot.percentileValues()) {
        if (v.percentile() == 0.5) {
          p50 = v.value(TimeUnit.MILLISECONDS);
        } else if (v.percentile() == 0.99) {
          p99 = v.value(TimeUnit.MILLISECONDS);
        }
      }
      s.append(String.format(Locale.ROOT, "  %-15s n %8d  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n",
          e.getKey(), snapshot.count(), p50, p99, snapshot.max(TimeUnit.MILLISECONDS)));
    });
    return s.toString();
  }

  void deadLettered() {
    deadLetters.increment();
  }

  /** The Prometheus exposition text. */
  String scrape() {
    return registry.scrape();
  }

  /** Port of the metrics endpoint, or -1 when off. */
  int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    registry.close();
  }
}
