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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine-connectors; under load with long requests (up to 200 output tokens, so many are in
 * flight), one connector is stopped, or killed, while its engines hold requests, and started again
 * three seconds later with the same id.
 *
 * <p>Stopped (as by SIGTERM): its engines' in-flight requests are reported REJECTED (never
 * silently dropped), the router moves new requests to the other connector's engines until the
 * restarted ones heartbeat again, and requests routed to the stopped engines meanwhile are served
 * after the restart.
 *
 * <p>Killed ({@link EngineConnector#crash()}, as by SIGKILL: no REJECTED event, no registry
 * tombstone, what its publisher buffered is lost, no offset committed after the kill): at
 * start-up the new run finds the requests the killed one had handed to its engines and never
 * ended, and fails them over (the default {@code synergy.engines.recovery}); requests past its
 * committed offset are served by its reader, once. Every request ends with exactly one terminal
 * event.
 */
@Timeout(300) // a hang guard, not a speed assertion
class ConnectorRestartIT {

  private static final String ENGINES = "a100:llama-2-7b:tp1,h100:llama-2-7b:tp1";

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  /** The victim connector (replaced at the restart) and the figures of the fault. */
  private static final class Run {
    final AtomicReference<EngineConnector> victim = new AtomicReference<>();
    long deliveredBeforeFault;
    int inFlightAtFault;
    long restartToServingMs;
  }

  /** Starts the pipeline, loads it, and stops or kills the victim 6 s in; restarts it 3 s later. */
  private static LoadReport restartUnderLoad(FaultHarness h, LoadGenerator.Plan plan, Run run,
      boolean kill) throws Exception {
    ModelTrainer trainer = h.pipeline.startTrainer("trainer", Map.of());
    run.victim.set(h.pipeline.startConnector("a", ENGINES, Map.of()));
    EngineConnector other = h.pipeline.startConnector("b", ENGINES, Map.of());
    RouterConsumer router = h.pipeline.startRouter("r1", "prism", trainer,
        Map.of(RouterConsumerConfig.ENGINE_TIMEOUT_MS, "2000"));
    LoadPipeline.await("the pipeline is ready", Duration.ofSeconds(90),
        () -> run.victim.get().isReading() && other.isReading() && router.isRouting());
    return h.underLoad(plan, Duration.ofSeconds(6), () -> {
      EngineConnector victim = run.victim.get();
      run.inFlightAtFault = FaultHarness.awaitInFlight(victim, 3);
      if (kill) {
        victim.crash();
        h.pipeline.forget(victim);
      } else {
        h.pipeline.stop(victim);
      }
      run.deliveredBeforeFault = victim.delivered();
      TimeUnit.SECONDS.sleep(3);
      long restart = System.nanoTime();
      run.victim.set(h.pipeline.startConnector("a", ENGINES, Map.of()));
      LoadPipeline.await("the restarted connector serves", Duration.ofSeconds(60),
          () -> run.victim.get().isReading());
      run.restartToServingMs = (System.nanoTime() - restart) / 1_000_000;
    });
  }

  @Test
  void shouldReportOrServeEveryInFlightRequestWhenAConnectorRestarts() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "cr", (short) 1, Map.of())) {
      LoadGenerator.Plan plan = new LoadGenerator.Plan("cr", 60, 20_000, 200);
      Run run = new Run();
      LoadReport report = restartUnderLoad(h, plan, run, false);

      FaultTable.record("4-connector-restart", "engine-connector stopped (1 of 2), restarted 3 s later",
          "60/s x 20 s, up to 200 output tokens", report,
          run.deliveredBeforeFault + " requests delivered to its engines before the stop; "
              + report.servedAfterRejection() + " reported REJECTED then served after the restart");
      FaultHarness.assertExactlyAccounted(report, plan.total());
      assertThat(run.deliveredBeforeFault).as("requests on the victim's engines").isPositive();
      assertThat(report.rejected() + report.servedAfterRejection())
          .as("in-flight requests reported REJECTED by the stopped engines").isPositive();
      assertThat(report.finished() + report.rejected()).isEqualTo(report.routed());
      assertThat(run.victim.get().delivered()).as("the restarted connector serves again").isPositive();
    }
  }

  @Test
  void shouldFailOverEveryInFlightRequestWhenAKilledConnectorRestarts() throws Exception {
    try (FaultHarness h = new FaultHarness(KAFKA, dir, "cc", (short) 1, Map.of())) {
      LoadGenerator.Plan plan = new LoadGenerator.Plan("cc", 60, 20_000, 200);
      Run run = new Run();
      LoadReport report = restartUnderLoad(h, plan, run, true);

      EngineConnector restarted = run.victim.get();
      long recovered = restarted.recoveredInFlight();
      FaultTable.record("4b-connector-crash",
          "engine-connector killed (1 of 2, no REJECTED, buffer lost), restarted 3 s later",
          "60/s x 20 s, up to 200 output tokens", report,
          String.format(Locale.ROOT, "%d requests delivered to its engines before the kill, %d on"
                  + " them at the kill; %d found without an end event and failed over at restart"
                  + " (recovery scan %d ms, restart to serving %d ms)", run.deliveredBeforeFault,
              run.inFlightAtFault, recovered, restarted.recoveryMs(), run.restartToServingMs));
      FaultHarness.assertExactlyAccounted(report, plan.total());
      assertThat(recovered).as("in-flight requests found and failed over at restart").isPositive();
      assertThat(report.servedAfterRejection()).as("requests with two terminal events").isZero();
      assertThat(report.finished())
          .as("every routed request finished once (failed over, none rejected)")
          .isEqualTo(report.routed());
      assertThat(restarted.delivered()).as("the restarted connector serves again").isPositive();
    }
  }
}
