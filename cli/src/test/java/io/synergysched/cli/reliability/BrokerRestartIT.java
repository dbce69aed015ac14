package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.schemas.Topics;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-broker cluster with a KRaft controller of its own (every topic replicated three times,
 * transactions and offsets too); under
 * load, the broker leading the inbound topic's first partition is stopped and restarted five
 * seconds later. Leaders move, clients retry, and every request ends exactly once.
 */
@Timeout(240) // a hang guard, not a speed assertion
class BrokerRestartIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(3)
      .withDedicatedController()
      .withBrokerConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", 1000);

  @TempDir Path dir;

  @Test
  void shouldLoseAndDuplicateNothingWhenABrokerStopsAndRestarts() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "br", (short) 3,
        Map.of(ModelTrainerConfig.REPLICATION_FACTOR, "3"))) {
      ModelTrainer trainer = h.pipeline.startTrainer("trainer", Map.of());
      EngineConnector connector =
          h.pipeline.startConnector("engines", "a100:llama-2-7b:tp1*2,h100:llama-2-7b:tp1*2", Map.of());
      RouterConsumer router = h.pipeline.startRouter("r1", "prism", trainer,
          Map.of("kafka.transaction.timeout.ms", "10000"));
      LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
          () -> connector.isReading() && router.isRouting());
      int victim;
      try (Admin admin = KAFKA.admin()) {
        victim = admin.describeTopics(List.of(Topics.REQUESTS_INBOUND.name())).allTopicNames()
            .get().get(Topics.REQUESTS_INBOUND.name()).partitions().get(0).leader().id();
      }

      LoadGenerator.Plan plan = new LoadGenerator.Plan("br", 150, 20_000);
      LoadReport report = h.underLoad(plan, Duration.ofSeconds(5), () -> {
        KAFKA.stopBroker(victim);
        TimeUnit.SECONDS.sleep(5);
        KAFKA.restartBroker(victim);
      });

      FaultTable.record("1-broker-restart", "broker " + victim + " of 3 stopped 5 s, restarted",
          "150/s x 20 s", report, "leader of the inbound topic's partition 0");
      FaultHarness.assertExactlyAccounted(report, plan.total());
      assertThat(report.finished() + report.rejected()).isEqualTo(report.routed());
      assertThat(router.failure()).isNull();
    }
  }
}
