package io.synergysched.cli;

import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.runtime.config.Secrets;
import io.synergysched.core.lens.LensPlan;
import io.synergysched.core.lens.LensScheduler;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.router.RouterConsumer;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.topologies.lens.LensHintTopologyConfig;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import io.synergysched.trainer.dashboard.StepPrediction;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One demo run: a model-trainer, a router-consumer with one policy and an engine-connector with
 * simulated engines, on the given cluster; the trace's requests are sent at their arrival times
 * (wall clock), then the run waits for the requests in flight, and reports what clients saw.
 */
final class DemoRun implements AutoCloseable {

  /** Everything a run needs to know. */
  record Settings(
      String bootstrapServers,
      String schemaRegistryUrl,
      String runId,
      String policy,
      String engines,
      List<TraceRequest> trace,
      int sloTtftMs,
      int sloTpotMs,
      long durationMs,
      long drainMs,
      Path stateDir,
      Map<String, String> kafka,
      String httpToken,
      int dashboardPort,
      String scheduler) {

    /** Without the secrets: a toString of the settings is safe to log. */
    @Override
    public String toString() {
      return "Settings[" + bootstrapServers + ", " + runId + ", " + policy + ", kafka="
          + Secrets.redacting(kafka) + "]";
    }
  }

  private final Settings settings;
  private final List<AutoCloseable> services = new ArrayList<>();
  private ModelTrainer trainer;
  private RouterConsumer router;
  private EngineConnector connector;
  private DemoCollector collector;

  /**
   * Starts the services; {@code out} gets the dashboard's address first, as soon as the
   * model-trainer serves it.
   */
  DemoRun(Settings settings, PrintStream out) throws Exception {
    this.settings = settings;
    Properties client = new Properties();
    client.putAll(settings.kafka());
    client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    String trainerId = "demo-trainer-" + settings.runId();
    String routerGroup = "demo-router-" + settings.runId();
    String collectorGroup = "demo-collector-" + settings.runId();
    // On a shared cluster the topics hold other writers' and earlier runs' records: every group
    // of this run starts at the topics' end now, so no service reads (or dead-letters) history.
    try (Admin admin = Admin.create(client)) {
      GroupStartOffsets.pinToEnd(admin, List.of(trainerId, routerGroup, collectorGroup,
          EngineConnector.readerGroupId(settings.runId())),
          Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
    }
    try {
      trainer = startTrainer(trainerId, settings.dashboardPort(), out);
      services.add(trainer);
      out.println("dashboard: " + dashboardUrl() + "  (live while the demo runs)");
      out.flush();
      connector = EngineConnector.start(EngineConnectorConfig.fromSettings(withRegistry(Map.of(
          EngineConnectorConfig.BOOTSTRAP_SERVERS, settings.bootstrapServers(),
          EngineConnectorConfig.CONNECTOR_ID, settings.runId(),
          EngineConnectorConfig.ENGINES, settings.engines(),
          EngineConnectorConfig.NOISE_SIGMA, "0.03",
          EngineConnectorConfig.HEARTBEAT_MS, "250",
          EngineConnectorConfig.SCHEDULER, settings.scheduler(),
          EngineConnectorConfig.SLO_TTFT_MS, Integer.toString(settings.sloTtftMs()),
          EngineConnectorConfig.SLO_TPOT_MS, Integer.toString(settings.sloTpotMs())))));
      services.add(connector);
      router = RouterConsumer.start(RouterConsumerConfig.fromSettings(withRegistry(Map.of(
          RouterConsumerConfig.BOOTSTRAP_SERVERS, settings.bootstrapServers(),
          RouterConsumerConfig.INSTANCE_ID, "demo-" + settings.runId(),
          RouterConsumerConfig.GROUP_ID, routerGroup,
          RouterConsumerConfig.POLICY, settings.policy(),
          RouterConsumerConfig.TRAINER_URL,
          trainerUrl()))));
      services.add(router);
      collector = new DemoCollector(client, registry(), settings.runId() + "-", collectorGroup);
      services.add(collector);
    } catch (Exception | Error e) {
      // what started must stop: its threads would outlive the failed run (and hold its folders)
      try {
        close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The model-trainer's query API. */
  String trainerUrl() {
    return "http://" + trainer.advertised().host() + ":" + trainer.advertised().port();
  }

  /** How to reach the services' HTTP endpoints while the run lasts. */
  String accessHelp() {
    return String.format(Locale.ROOT, "model-trainer queries: %s/engines (also /engines/{id}, /health)"
        + "%n  token: %s%n  curl -H \"Authorization: Bearer %s\" %s/engines%n", trainerUrl(),
        settings.httpToken(), settings.httpToken(), trainerUrl());
  }

  private ModelTrainer startTrainer(String applicationId, int port, PrintStream out)
      throws Exception {
    try {
      return ModelTrainer.start(ModelTrainerConfig.fromSettings(withRegistry(Map.of(
          ModelTrainerConfig.BOOTSTRAP_SERVERS, settings.bootstrapServers(),
          ModelTrainerConfig.APPLICATION_ID, applicationId,
          ModelTrainerConfig.STATE_DIR, settings.stateDir().resolve("trainer").toString(),
          ModelTrainerConfig.IQ_PORT, Integer.toString(port),
          LensHintTopologyConfig.TPOT_MS, Integer.toString(settings.sloTpotMs())))));
    } catch (java.net.BindException e) {
      if (port == 0) {
        throw e;
      }
      out.println("port " + port + " is in use; the dashboard takes any free port");
      return startTrainer(applicationId, 0, out);
    }
  }

  /** The model-trainer's dashboard address, with this run's token. */
  String dashboardUrl() {
    return trainer.dashboardUrl() + "?access_token=" + settings.httpToken();
  }

  /** The model-trainer of this run. */
  ModelTrainer trainer() {
    return trainer;
  }

  /** Ids of the simulated engines of this run. */
  java.util.Set<String> engineIds() {
    return connector.engines().keySet();
  }

  /** The router-consumer of this run. */
  RouterConsumer router() {
    return router;
  }

  /** The services' settings: these, the cluster's client settings, the HTTP token, the registry. */
  private Map<String, String> withRegistry(Map<String, String> base) {
    Map<String, String> all = new HashMap<>();
    settings.kafka().forEach((k, v) -> all.put("kafka." + k, v));
    all.put("synergy.http.token", settings.httpToken());
    all.putAll(base);
    if (settings.schemaRegistryUrl() != null) {
      all.put("schema.registry.url", settings.schemaRegistryUrl());
    }
    return all;
  }

  private SchemaRegistryClient registry() {
    return settings.schemaRegistryUrl() == null ? null : new SchemaRegistryClient(
        AvroSerdeConfig.withRegistry(settings.schemaRegistryUrl()));
  }

  /** Sends the trace, shows progress on {@code out}, waits for the requests in flight. */
  DemoResult play(PrintStream out, boolean terminal) throws InterruptedException {
    List<TraceRequest> trace = settings.trace().stream()
        .filter(r -> r.arrivalMs() < settings.durationMs()).toList();
    Properties props = new Properties();
    props.putAll(settings.kafka());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    AvroRecordCodec<InferenceRequest> codec = new AvroRecordCodec<>(InferenceRequest.class, registry());
    awaitRouterReady();
    long start = System.currentTimeMillis();
    long lastTable = 0;
    int sent = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      while (sent < trace.size()) {
        long now = System.currentTimeMillis();
        while (sent < trace.size() && trace.get(sent).arrivalMs() <= now - start) {
          TraceRequest t = trace.get(sent);
          String id = settings.runId() + "-" + sent;
          InferenceRequest request = InferenceRequest.newBuilder()
              .setRequestId(id)
              .setArrivalTimeMs(now)
              .setPromptTokens(t.promptTokens())
              .setMaxOutputTokens(t.outputTokens())
              .setSloTtftMs(settings.sloTtftMs())
              .setSloTpotMs(settings.sloTpotMs())
              .setSessionId(t.sessionId())
              .setPrefixBlockHashes(java.util.Arrays.stream(t.prefixHashes()).boxed().toList())
              .build();
          producer.send(new ProducerRecord<>(Topics.REQUESTS_INBOUND.name(), id,
              codec.encode(Topics.REQUESTS_INBOUND.name() + "-value", request)));
          sent++;
        }
        if (now - lastTable >= (terminal ? 2_000 : 10_000)) {
          lastTable = now;
          checkCollector();
          printProgress(out, terminal, now - start, sent, trace.size());
        }
        TimeUnit.MILLISECONDS.sleep(5);
      }
    }
    long sendEnd = System.currentTimeMillis();
    long deadline = sendEnd + settings.drainMs();
    while (collector.ended() < sent && System.currentTimeMillis() < deadline) {
      checkCollector();
      long now = System.currentTimeMillis();
      if (now - lastTable >= (terminal ? 2_000 : 10_000)) {
        lastTable = now;
        printProgress(out, terminal, now - start, sent, trace.size());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    checkCollector();
    if (collector.ended() < sent) {
      out.println("not ended when the run stopped waiting: " + collector.unended(5));
    }
    if (collector.undecodable() > 0) {
      out.printf("the collector skipped %d records it could not decode%n", collector.undecodable());
    }
    return DemoResult.of(settings.policy(), sent, (sendEnd - start) / 1000.0, collector.outcomes(),
        engineRows());
  }

  /** A run whose outcomes are no longer followed must not end as if it had succeeded. */
  private void checkCollector() {
    Throwable failure = collector.failure();
    if (failure != null) {
      throw new IllegalStateException("the demo's collector stopped reading the run's routing"
          + " decisions and request events, so its report would be wrong: " + failure, failure);
    }
  }

  private void awaitRouterReady() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!(router.isRouting() && connector.isReading()) && System.currentTimeMillis() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    if (!router.isRouting()) {
      throw new IllegalStateException("the router did not start within 60 s"
          + (router.failure() == null ? "" : ": " + router.failure()));
    }
  }

  /** Per engine: requests routed, queue, last measured step, its prediction, model error. */
  List<DemoResult.EngineRow> engineRows() {
    Map<String, Long> routed = new HashMap<>();
    Map<String, long[]> slo = new HashMap<>();
    for (DemoCollector.Outcome o : collector.outcomes()) {
      if (o.engineId != null) {
        routed.merge(o.engineId, 1L, Long::sum);
        if (o.finished) {
          long[] counts = slo.computeIfAbsent(o.engineId, e -> new long[2]);
          counts[0]++;
          counts[1] += o.metSlo() ? 1 : 0;
        }
      }
    }
    List<DemoResult.EngineRow> rows = new ArrayList<>();
    List<EngineSnapshot> views;
    try {
      views = trainer.queries().allEngines();
    } catch (QueryNotReadyException e) {
      views = List.of();
    }
    for (EngineSnapshot v : views) {
      if (!connector.engines().containsKey(v.engineId())) {
        continue;
      }
      EngineStatus s = v.status();
      double measured = StepPrediction.measuredMs(v);
      double predicted = StepPrediction.predictedMs(v);
      long[] counts = slo.getOrDefault(v.engineId(), new long[2]);
      rows.add(new DemoResult.EngineRow(v.engineId(), routed.getOrDefault(v.engineId(), 0L),
          s == null ? 0 : s.running(), s == null ? 0 : s.waiting(), measured, predicted,
          v.model() == null ? Double.NaN : v.model().recentMape(),
          counts[0] == 0 ? Double.NaN : (double) counts[1] / counts[0]));
    }
    return rows;
  }

  private void printProgress(PrintStream out, boolean terminal, long elapsedMs, int sent, int total) {
    List<DemoResult.EngineRow> rows = engineRows();
    StringBuilder text = new StringBuilder();
    double fraction = Math.min(1.0, elapsedMs / (double) settings.durationMs());
    int filled = (int) Math.round(fraction * 30);
    text.append("dashboard: ").append(dashboardUrl()).append(System.lineSeparator());
    text.append(String.format(Locale.ROOT, "%s [%s%s] %3.0f%%  %d/%d requests sent, %d ended%n",
        settings.policy(), "=".repeat(filled), " ".repeat(30 - filled), fraction * 100, sent, total,
        collector.ended()));
    text.append(String.format(Locale.ROOT, "  %-34s %7s %5s %5s %9s %9s %6s %6s%n", "engine",
        "routed", "run", "wait", "step ms", "pred ms", "MAPE", "SLO"));
    for (DemoResult.EngineRow r : rows) {
      text.append(String.format(Locale.ROOT, "  %-34s %7d %5d %5d %9.1f %9.1f %5.1f%% %5.1f%%%n",
          r.engineId(), r.routed(), r.running(), r.waiting(), r.lastStepMs(), r.predictedStepMs(),
          100 * r.modelMape(), 100 * r.sloAttainment()));
    }
    if (LensScheduler.NAME.equals(settings.scheduler())) {
      // the LENS hint each engine's latest step ran with (from the model-trainer's control topic)
      text.append("  LENS hint applied:");
      Map<String, LensPlan> applied = connector.appliedHints();
      for (String engine : connector.engines().keySet()) {
        LensPlan h = applied.get(engine);
        text.append(h == null ? String.format(Locale.ROOT, " %s defaults;", engine)
            : String.format(Locale.ROOT, " %s v%d (model v%d, budget@0 %d);", engine, h.hintVersion(),
                h.modelVersion(), h.tokenBudgetAt(0)));
      }
      text.append(String.format(Locale.ROOT, "%n"));
    }
    if (terminal) {
      out.print("\033[H\033[2J");
    }
    out.print(text);
    out.flush();
  }

  /** Stops the services, last started first; every one is closed even when one fails. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    services.clear();
    if (first != null) {
      throw first;
    }
  }
}
