package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadLedger;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.connector.sim.SimulatedEngineBackend;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.topologies.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * What every fault test does: the topics, the control plane ({@link LoadPipeline}), load from the
 * load command's own {@link LoadGenerator} while a fault is injected, and the accounting of every
 * request by id from the records ({@link LoadLedger}), written to the fault table.
 */
final class FaultHarness implements AutoCloseable {

  /** Routing latency under which routing counts as recovered after a fault. */
  static final long RECOVERED_BELOW_MS = 1_000;

  /** Something done to the pipeline mid-load; it may take its time (stop, wait, restart). */
  interface Fault {
    void inject() throws Exception;
  }

  final KafkaClusterExtension kafka;
  final LoadPipeline pipeline;
  private final LoadGenerator generator;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fault-load");
    t.setDaemon(true);
    return t;
  });

  FaultHarness(KafkaClusterExtension kafka, Path stateDir, String runId, short replication,
      Map<String, String> settings) throws Exception {
    this.kafka = kafka;
    try (Admin admin = kafka.admin()) {
      TopicProvisioner.ensureTopics(admin, 4, replication);
    }
    pipeline = new LoadPipeline(kafka.bootstrapServers(), runId, stateDir, settings);
    generator = new LoadGenerator(pipeline.clientProperties(),
        new AvroRecordCodec<>(InferenceRequest.class, (SchemaRegistryClient) null));
  }

  LoadGenerator generator() {
    return generator;
  }

  /**
   * Sends {@code rate} requests/s for {@code duration}; after {@code faultAfter} injects the fault
   * (on this thread, while the load goes on); then waits until every acknowledged request has
   * ended (or the topics stay quiet for 15 s) and accounts for them.
   */
  LoadReport underLoad(LoadGenerator.Plan plan, Duration faultAfter, Fault fault) throws Exception {
    try (LoadLedger ledger = new LoadLedger(pipeline.clientProperties(), null, plan.idPrefix())) {
      long start = System.nanoTime();
      Future<Long> sending = sender.submit(() -> generator.run(plan, null));
      long faultAtMs = -1;
      if (fault != null) {
        TimeUnit.MILLISECONDS.sleep(faultAfter.toMillis());
        faultAtMs = System.currentTimeMillis();
        fault.inject();
      }
      sending.get(plan.durationMs() + 120_000, TimeUnit.MILLISECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      Set<String> expected = generator.acknowledged(plan.idPrefix());
      ledger.awaitEnded(expected, Duration.ofSeconds(15), Duration.ofSeconds(120), () -> false);
      long failures = generator.failed(plan.idPrefix()).size();
      return ledger.report(expected, failures, seconds, faultAtMs, RECOVERED_BELOW_MS);
    }
  }

  /**
   * Waits (up to 10 s) until {@code connector}'s simulated engines hold at least {@code atLeast}
   * requests between arrival and end, so a fault hits requests in flight (the router may favour
   * other engines for a while); returns how many they hold then.
   */
  static int awaitInFlight(EngineConnector connector, int atLeast) throws InterruptedException {
    LoadPipeline.await("the engines of the connector hold " + atLeast + " requests",
        Duration.ofSeconds(10), () -> inFlight(connector) >= atLeast);
    return inFlight(connector);
  }

  private static int inFlight(EngineConnector connector) {
    return connector.engines().values().stream()
        .mapToInt(e -> ((SimulatedEngineBackend) e).inFlight()).sum();
  }

  /** The checks every fault ends with: nothing lost, nothing twice, every request accounted. */
  static void assertExactlyAccounted(LoadReport report, long sent) {
    assertThat(report.lost()).as("lost, e.g. %s", report.lostIds()).isZero();
    assertThat(report.duplicated()).as("duplicated, e.g. %s", report.duplicatedIds()).isZero();
    assertThat(report.producerFailures()).as("requests the producer gave up on").isZero();
    assertThat(report.in()).as("requests acknowledged").isEqualTo(sent);
    assertThat(report.routed() + report.shed() + report.deadLettered())
        .as("every request routed, shed or dead-lettered").isEqualTo(report.in());
  }

  @Override
  public void close() throws Exception {
    sender.shutdownNow();
    generator.close();
    pipeline.close();
  }
}
