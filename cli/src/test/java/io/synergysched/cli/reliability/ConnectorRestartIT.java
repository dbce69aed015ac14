package io.synergysched.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.cli.load.LoadGenerator;
import io.synergysched.cli.load.LoadPipeline;
import io.synergysched.cli.load.LoadReport;
import io.synergysched.connector.EngineConnector;
import io.synergysched.router.RouterConsumer;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.trainer.ModelTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine-connectors; under load with long requests (up to 200 output tokens, so many are in
 * flight), one connector is stopped and started again three seconds later with the same id. Its
 * engines' in-flight requests are reported REJECTED (never silently dropped), the router moves
 * new requests to the other connector's engines until the restarted ones heartbeat again, and
 * requests routed to the stopped engines meanwhile are served after the restart.
 */
@Timeout(300) // a hang guard, not a speed assertion
class ConnectorRestartIT {

  private static final String ENGINES = "a100:llama-2-7b:tp1,h100:llama-2-7b:tp1";

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldReportOrServeEveryInFlightRequestWhenAConnectorRestarts() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "cr", (short) 1, Map.of())) {
      ModelTrainer trainer = h.pipeline.startTrainer("trainer", Map.of());
      AtomicReference<EngineConnector> victim =
          new AtomicReference<>(h.pipeline.startConnector("a", ENGINES, Map.of()));
      EngineConnector other = h.pipeline.startConnector("b", ENGINES, Map.of());
      RouterConsumer router = h.pipeline.startRouter("r1", "prism", trainer,
          Map.of(RouterConsumerConfig.ENGINE_TIMEOUT_MS, "2000"));
      LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
          () -> victim.get().isReading() && other.isReading() && router.isRouting());

      LoadGenerator.Plan plan = new LoadGenerator.Plan("cr", 60, 20_000, 200);
      long[] deliveredBeforeStop = new long[1];
      LoadReport report = h.underLoad(plan, Duration.ofSeconds(6), () -> {
        deliveredBeforeStop[0] = victim.get().delivered();
        h.pipeline.stop(victim.get());
        TimeUnit.SECONDS.sleep(3);
        victim.set(h.pipeline.startConnector("a", ENGINES, Map.of()));
      });

      FaultTable.record("4-connector-restart", "engine-connector stopped (1 of 2), restarted 3 s later",
          "60/s x 20 s, up to 200 output tokens", report,
          deliveredBeforeStop[0] + " requests delivered to its engines before the stop; "
              + report.servedAfterRejection() + " reported REJECTED then served after the restart");
      FaultHarness.assertExactlyAccounted(report, plan.total());
      assertThat(deliveredBeforeStop[0]).as("requests on the victim's engines").isPositive();
      assertThat(report.rejected() + report.servedAfterRejection())
          .as("in-flight requests reported REJECTED by the stopped engines").isPositive();
      assertThat(report.finished() + report.rejected()).isEqualTo(report.routed());
      assertThat(victim.get().delivered()).as("the restarted connector serves again").isPositive();
    }
  }
}
