package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.trainer.ModelTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under load, one of two router-consumer instances dies with a routing transaction open (sent,
 * offsets added, never committed); the broker aborts the transaction when it times out and the
 * other instance routes those requests again. Every request ends exactly once.
 */
@Timeout(240) // a hang guard, not a speed assertion
class RouterCrashIT {

  static final Map<String, String> FAST_FAILOVER = Map.of(
      "kafka.transaction.timeout.ms", "3000",
      "kafka.session.timeout.ms", "6000");

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1)
      .withBrokerConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", 1000);

  @TempDir Path dir;

  @Test
  void shouldLoseAndDuplicateNothingWhenARouterDiesMidTransaction() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "rc", (short) 1, Map.of())) {
      ModelTrainer trainer = h.pipeline.startTrainer("trainer", Map.of());
      EngineConnector connector =
          h.pipeline.startConnector("engines", "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2", Map.of());
      RouterConsumer victim = h.pipeline.startRouter("r1", "prism", trainer, FAST_FAILOVER);
      RouterConsumer survivor = h.pipeline.startRouter("r2", "prism", trainer, FAST_FAILOVER);
      LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
          () -> connector.isReading() && victim.isRouting() && survivor.isRouting());

      LoadGenerator.Plan plan = new LoadGenerator.Plan("rc", 150, 20_000);
      LoadReport report = h.underLoad(plan, Duration.ofSeconds(6), () -> {
        long before = victim.routed();
        LoadPipeline.await("the victim routes", Duration.ofSeconds(30), () -> victim.routed() > before);
        victim.crashBeforeNextCommit();
        LoadPipeline.await("the victim died", Duration.ofSeconds(30), victim::isStopped);
        h.pipeline.forget(victim);
      });

      FaultTable.record("3-router-crash", "router-consumer killed mid-transaction (1 of 2)",
          "150/s x 20 s", report, "victim's open transaction aborted, survivor re-routed");
      FaultHarness.assertExactlyAccounted(report, plan.total());
      assertThat(victim.isStopped()).isTrue();
      assertThat(survivor.routed()).isGreaterThan(0);
      assertThat(report.finished() + report.rejected()).isEqualTo(report.routed());
    }
  }
}
