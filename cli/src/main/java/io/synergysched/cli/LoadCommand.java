package io.synergysched.cli;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadLedger;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.cli.load.TransactionFloor;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.embedded.EmbeddedKafkaCluster;
import io.synergysched.topologies.TopicProvisioner;
import io.synergysched.trainer.ModelTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Open-loop load through the whole pipeline, accounted by request id from the records. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Push inference requests through the whole control plane (model-trainer,",
      "router-consumer, engine-connector with simulated engines) at a fixed open-loop",
      "rate for a bounded time, on a broker in this JVM (or --bootstrap-servers), and",
      "account for every request by id: in, routed, finished, dead-lettered,",
      "duplicated, lost; routing latency p50/p99/max. --find-max steps the rate up",
      "and reports the highest rate routed with p99 routing latency under",
      "--p99-target-ms."
    })
final class LoadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", description = "an existing Kafka cluster (default: embedded)")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", description = "Confluent-API registry (default: none)")
  String registryUrl;

  @Option(names = "--rate", description = "requests per second (default: ${DEFAULT-VALUE})")
  double rate = 5000;

  @Option(names = "--duration", description = "seconds of load per run or step (default: ${DEFAULT-VALUE})")
  int durationS = 20;

  @Option(names = "--warmup", description = "seconds of unaccounted load first, at half the rate (default: ${DEFAULT-VALUE})")
  int warmupS = 5;

  @Option(names = "--router", description = "routing policy (default: ${DEFAULT-VALUE})")
  String policy = "prism";

  @Option(names = "--routers", description = "router-consumer instances (default: ${DEFAULT-VALUE})")
  int routers = 1;

  @Option(names = "--engines", description = "simulated engines GPU:MODEL:tpN[*COUNT],... (default: ${DEFAULT-VALUE})")
  String engines = "h100:llama-2-7b:tp1*8";

  @Option(names = "--engine-timeout-ms", description = "router's heartbeat timeout (default: ${DEFAULT-VALUE})")
  long engineTimeoutMs = 10_000;

  @Option(names = "--partitions", description = "partitions of the topics it creates (default: ${DEFAULT-VALUE})")
  int partitions = 4;

  @Option(names = "--find-max", description = "step the rate up from --rate until p99 routing latency passes the target")
  boolean findMax;

  @Option(names = "--step-factor", description = "rate multiplier per --find-max step (default: ${DEFAULT-VALUE})")
  double stepFactor = 1.25;

  @Option(names = "--max-rate", description = "highest rate --find-max tries (default: ${DEFAULT-VALUE})")
  double maxRate = 40_000;

  @Option(names = "--p99-target-ms", description = "routing latency target of --find-max (default: ${DEFAULT-VALUE})")
  long p99TargetMs = 20;

  @Option(names = "--transaction-floor", description = "first time this many bare transactions"
      + " (one record, offsets, commit, read_committed read) on the idle cluster (default: off)")
  int floorTransactions;

  @Option(names = {"--set"}, description = "extra service setting key=value (repeatable), e.g. kafka.security.protocol=SSL")
  List<String> extra = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!(rate > 0) || durationS < 1 || durationS > 3600 || warmupS < 0 || routers < 1
        || partitions < 1 || !(stepFactor > 1)) {
      throw new IllegalArgumentException("need --rate > 0, --duration in [1, 3600] s, --warmup >= 0,"
          + " --routers >= 1, --partitions >= 1, --step-factor > 1");
    }
    Map<String, String> settings = new HashMap<>();
    for (String kv : extra) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set wants key=value, was " + kv);
      }
      settings.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (registryUrl != null) {
      settings.put("schema.registry.url", registryUrl);
    }
    EmbeddedKafkaCluster embedded = bootstrapServers == null ? EmbeddedKafkaCluster.start(1) : null;
    String bootstrap = embedded != null ? embedded.bootstrapServers() : bootstrapServers;
    String runId = Long.toString(System.currentTimeMillis(), 36);
    SchemaRegistryClient registry =
        registryUrl == null ? null : new SchemaRegistryClient(AvroSerdeConfig.withRegistry(registryUrl));
    try (LoadPipeline pipeline = new LoadPipeline(bootstrap, runId,
        Files.createTempDirectory("synergysched-load-"), settings)) {
      try (Admin admin = Admin.create(pipeline.clientProperties())) {
        TopicProvisioner.ensureTopics(admin, partitions, (short) 1);
      }
      if (floorTransactions > 0) {
        out.printf(Locale.ROOT, "transaction floor: %d transactions one at a time, nothing else"
            + " running in the pipeline%n", floorTransactions);
        TransactionFloor.measure(pipeline.clientProperties(), runId, floorTransactions)
            .forEach(out::println);
        out.flush();
      }
      ModelTrainer trainer = pipeline.startTrainer("trainer", Map.of());
      EngineConnector connector = pipeline.startConnector("engines", engines,
          Map.of("kafka.auto.offset.reset", "latest"));
      List<RouterConsumer> started = routersRunning;
      for (int i = 0; i < routers; i++) {
        // at thousands of requests a second the engines' heartbeats queue behind their request
        // events and reach the router late; a longer timeout keeps liveness out of the measure
        started.add(pipeline.startRouter("router-" + i, policy, trainer,
            Map.of("kafka.auto.offset.reset", "latest",
                RouterConsumerConfig.ENGINE_TIMEOUT_MS, String.valueOf(engineTimeoutMs))));
      }
      LoadPipeline.await("the routers and the engine-connector are ready", Duration.ofSeconds(90),
          () -> connector.isReading() && started.stream().allMatch(RouterConsumer::isRouting));
      out.printf(Locale.ROOT, "pipeline ready: %d %s router(s), engines %s, broker %s%n",
          routers, policy, engines, embedded != null ? "in this JVM" : bootstrap);
      AvroRecordCodec<InferenceRequest> codec = new AvroRecordCodec<>(InferenceRequest.class, registry);
      try (LoadGenerator generator = new LoadGenerator(pipeline.clientProperties(), codec)) {
        if (warmupS > 0) {
          out.printf(Locale.ROOT, "warm-up: %.0f requests/s for %d s%n", rate / 2, warmupS);
          runOnce(out, pipeline, generator, registry, runId + "-warm", rate / 2, warmupS, false);
        }
        if (!findMax) {
          LoadReport report = runOnce(out, pipeline, generator, registry, runId + "-load", rate, durationS, true);
          return report.lost() == 0 && report.duplicated() == 0 ? 0 : 1;
        }
        double best = -1;
        LoadReport bestReport = null;
        int step = 0;
        for (double r = rate; r <= maxRate; r *= stepFactor) {
          LoadReport report = runOnce(out, pipeline, generator, registry, runId + "-step" + step++, r,
              durationS, true);
          // sustained: nothing lost, at least 99% routed (not shed for want of engine capacity),
          // p99 routing latency under the target
          boolean kept = report.p99Ms() >= 0 && report.p99Ms() < p99TargetMs && report.lost() == 0
              && report.routed() >= 0.99 * report.in();
          if (!kept) {
            out.printf(Locale.ROOT, "%.0f requests/s not sustained (p99 %d ms, %d shed, lost %d)%n",
                r, report.p99Ms(), report.shed(), report.lost());
            break;
          }
          best = r;
          bestReport = report;
        }
        if (bestReport == null) {
          out.printf(Locale.ROOT, "no rate from %.0f requests/s kept p99 under %d ms%n", rate,
              p99TargetMs);
        } else {
          out.printf(Locale.ROOT,
              "highest rate sustained with p99 routing latency under %d ms: %.0f requests/s offered,"
                  + " %.0f routed/s (p50 %d ms, p99 %d ms, max %d ms)%n",
              p99TargetMs, best, bestReport.routedPerSecond(), bestReport.p50Ms(), bestReport.p99Ms(),
              bestReport.maxMs());
        }
        return 0;
      }
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private final List<RouterConsumer> routersRunning = new ArrayList<>();

  private LoadReport runOnce(PrintWriter out, LoadPipeline pipeline, LoadGenerator generator,
      SchemaRegistryClient registry, String prefix, double r, int seconds, boolean print)
      throws InterruptedException {
    try (LoadLedger ledger = new LoadLedger(pipeline.clientProperties(), registry, prefix)) {
      long start = System.nanoTime();
      long sent = generator.run(new LoadGenerator.Plan(prefix, r, seconds * 1000L), null);
      double elapsed = (System.nanoTime() - start) / 1e9;
      var expected = generator.acknowledged(prefix);
      ledger.awaitEnded(expected, Duration.ofSeconds(10), Duration.ofSeconds(120), () -> false);
      long failures = generator.failed(prefix).size();
      LoadReport report = ledger.report(expected, failures, elapsed, -1, p99TargetMs);
      if (print) {
        out.printf(Locale.ROOT, "%n== %.0f requests/s offered for %d s: %d sent ==%n", r,
            seconds, sent);
        out.print(report.describe());
        out.print("routing latency by stage, from the records (arrival, routedAtMs, routed record"
            + " timestamp, seen by a read_committed consumer):\n");
        out.print(ledger.stageSummary());
        for (RouterConsumer router : routersRunning) {
          out.print("router loop by stage (per request: inbound.age; per loop or transaction:"
              + " the rest):\n");
          out.print(router.stageSummary());
        }
        out.flush();
      }
      return report;
    }
  }
}
