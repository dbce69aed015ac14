package io.synergysched.cli;

import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.simulator.SharedDataLocator;
import io.synergysched.simulator.trace.TraceFormat;
import io.synergysched.simulator.trace.TraceLoader;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.simulator.trace.TraceTransforms;
import io.synergysched.embedded.EmbeddedKafkaCluster;
import io.synergysched.schemas.Topics;
import io.synergysched.topologies.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The whole control plane, live, on a real trace. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run SynergySched live: a Kafka broker in this JVM (or --bootstrap-servers), model-trainer,",
      "router-consumer and an engine-connector with simulated GPUs, replaying a real trace; ends",
      "with a report (Markdown and PNG). --compare ROUTER runs the same trace again with a baseline."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", description = "an existing Kafka cluster (default: embedded)")
  String bootstrapServers;

  @Mixin
  KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(names = "--schema-registry-url", description = {
      "Confluent-API registry (default: none: Avro single-object records). Needed on a cluster",
      "whose topics hold registry-framed records; the demo refuses to mix framings."})
  String registryUrl;

  @Option(names = "--router", description = "routing policy (default: ${DEFAULT-VALUE})")
  String router = "prism";

  @Option(names = "--compare", description = "a baseline policy to run the same trace with, e.g. llm-d-default")
  String compare;

  @Option(names = "--duration", description = "seconds of trace to play per run (default: ${DEFAULT-VALUE})")
  int durationS = 120;

  @Option(names = "--engines",
      description = "GPU:MODEL:tpN[*COUNT],... (default: ${DEFAULT-VALUE})")
  String engines = "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2";

  @Option(names = "--scheduler",
      description = "batch scheduler of the engines, e.g. lens to apply the model-trainer's LENS hints (default: ${DEFAULT-VALUE})")
  String scheduler = "vllm-default";

  @Option(names = "--trace", description = "Azure-format trace CSV (default: the Azure 2023 conversation trace)")
  Path trace;

  @Option(names = "--rate-scale", description = "arrival rate multiplier (default: ${DEFAULT-VALUE})")
  double rateScale = 4.0;

  @Option(names = "--slo-ttft-ms", description = "TTFT target (default: ${DEFAULT-VALUE})")
  int sloTtftMs = 1000;

  @Option(names = "--slo-tpot-ms", description = "TPOT target (default: ${DEFAULT-VALUE})")
  int sloTpotMs = 100;

  @Option(names = "--dashboard-port",
      description = "port of the live dashboard and the model-trainer's queries; 0 for any free one (default: ${DEFAULT-VALUE})")
  int dashboardPort = 7070;

  @Option(names = "--out", description = "report folder (default: out/demo-<time>)")
  Path out;

  /** Where the runs' temporary folders go: the system's temporary folder unless a test says. */
  Path tempRoot = Path.of(System.getProperty("java.io.tmpdir"));

  @Override
  public Integer call() throws Exception {
    if (durationS < 5 || durationS > 86_400) {
      throw new IllegalArgumentException("--duration must be in [5, 86400] seconds, was " + durationS);
    }
    if (dashboardPort < 0 || dashboardPort > 65535) {
      throw new IllegalArgumentException("--dashboard-port must be in [0, 65535], was " + dashboardPort);
    }
    if (!(rateScale > 0)) {
      throw new IllegalArgumentException("--rate-scale must be positive, was " + rateScale);
    }
    Path traceFile = trace != null ? trace
        : SharedDataLocator.dataRoot().resolve("traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv");
    List<TraceRequest> requests = TraceTransforms.clipToContext(
        TraceTransforms.scaleRate(
            TraceTransforms.window(TraceLoader.load(traceFile, TraceFormat.AZURE, null), 0,
                durationS * rateScale + 1),
            rateScale),
        4096).requests();
    Path outDir = out != null ? out : Path.of("out",
        "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(outDir);
    List<String> policies = new ArrayList<>(List.of(router));
    if (compare != null) {
      policies.add(compare);
    }
    boolean terminal = System.console() != null;
    List<DemoResult> results = new ArrayList<>();
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    Map<String, String> clientSettings = bootstrapServers == null ? Map.of() : kafka.settings();
    // the services' HTTP endpoints need a token; each demo makes its own
    String token = HttpAccess.randomToken();
    if (bootstrapServers != null && registryUrl == null) {
      refuseRegistryFramedTopics(clientSettings);
    }
    for (String policy : policies) {
      EmbeddedKafkaCluster embedded = bootstrapServers == null ? EmbeddedKafkaCluster.start(1) : null;
      String bootstrap = embedded != null ? embedded.bootstrapServers() : bootstrapServers;
      String runId = policy.replaceAll("[^A-Za-z0-9-]", "") + "-" + stamp;
      Path stateDir = Files.createTempDirectory(tempRoot, "synergysched-demo-" + runId + "-");
      // Ctrl-C: the broker's and the model-trainer's folders go too
      Thread stopper = new Thread(() -> {
        closeQuietly(embedded);
        deleteQuietly(stateDir);
      }, "demo-stop");
      Runtime.getRuntime().addShutdownHook(stopper);
      try {
        Properties admin = new Properties();
        admin.putAll(clientSettings);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
          TopicProvisioner.ensureTopics(client, 4, (short) 1);
        }
        try (DemoRun run = new DemoRun(new DemoRun.Settings(bootstrap, registryUrl, runId, policy,
            engines, requests, sloTtftMs, sloTpotMs, durationS * 1000L, 60_000L,
            stateDir, clientSettings, token, dashboardPort, scheduler), System.out)) {
          System.out.print(run.accessHelp());
          System.out.printf("%n== %s: %d requests over %d s (%s x%.1f), engines %s ==%n", policy,
              requests.stream().filter(r -> r.arrivalMs() < durationS * 1000.0).count(), durationS,
              traceFile.getFileName(), rateScale, engines);
          results.add(run.play(System.out, terminal));
        }
      } finally {
        closeQuietly(embedded);
        deleteQuietly(stateDir);
        Runtime.getRuntime().removeShutdownHook(stopper);
      }
    }
    Path report = DemoReport.write(outDir, "SynergySched demo", results, sloTtftMs, sloTpotMs);
    System.out.println();
    System.out.print(DemoReport.table(results));
    for (DemoResult r : results) {
      if (r.unaccounted() > 0) {
        System.out.printf("%s: %d requests still unfinished when the run ended (counted as misses)%n",
            r.policy(), r.unaccounted());
      }
    }
    System.out.println("report: " + report.toAbsolutePath());
    return 0;
  }

  /**
   * Topics that hold Confluent wire-format records belong to clients of a schema registry: adding
   * single-object records (what the demo writes without a registry) would break their readers.
   */
  private void refuseRegistryFramedTopics(Map<String, String> clientSettings) {
    Properties client = new Properties();
    client.putAll(clientSettings);
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    TopicFramings.Found found = TopicFramings.peek(client,
        Topics.ALL.stream().map(Topics.TopicSpec::name).toList(), Duration.ofSeconds(30));
    if (found.any()) {
      throw new IllegalArgumentException("topics " + String.join(", ", found.registryFramed().keySet())
          + " on " + bootstrapServers + " hold records framed for a schema registry (Confluent wire"
          + " format, e.g. schema id " + found.registryFramed().values().iterator().next() + ");"
          + " without a registry the demo would write Avro single-object records into them, which"
          + " those topics' Confluent deserializers cannot read, and could not read theirs."
          + " Run it with --schema-registry-url <the registry the cluster's clients use>.");
    }
  }

  /** Deletes a folder and what it holds; what cannot be deleted stays (best effort at exit). */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
          // a file still open (a store a stopping thread holds): left for the OS
        }
      });
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // gone meanwhile
    }
  }

  private static void closeQuietly(EmbeddedKafkaCluster cluster) {
    if (cluster != null) {
      try {
        cluster.close();
      } catch (Exception e) {
        // already stopping
      }
    }
  }
}
