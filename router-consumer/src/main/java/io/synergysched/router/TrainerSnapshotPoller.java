package io.synergysched.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.http.HttpEndpoints;
import io.synergysched.runtime.query.EngineSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the model-trainer's interactive queries ({@code GET /engines}) at a fixed interval and
 * keeps the latest answer, as the metrics scrapers of today's routers do. Thread-safe; the
 * router's thread reads {@link #latest()}.
 */
final class TrainerSnapshotPoller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrainerSnapshotPoller.class);

  /** One answer and when it was fetched (epoch ms). */
  record Snapshot(long fetchedAtMs, List<EngineSnapshot> engines) {}

  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
  private final URI enginesUri;
  private final LongSupplier clock;
  private final AtomicReference<Snapshot> latest = new AtomicReference<>();
  private final AtomicLong failures = new AtomicLong();
  private final ScheduledExecutorService timer;
  private final HttpAccess access;

  /** @param access how to authenticate to the model-trainer */
  TrainerSnapshotPoller(URI trainerUrl, Duration interval, LongSupplier clock, HttpAccess access) {
    this.access = access;
    this.http = HttpEndpoints.client(access, Duration.ofSeconds(2));
    String base = trainerUrl.toString();
    this.enginesUri = URI.create((base.endsWith("/") ? base : base + "/") + "engines");
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trainer-snapshot-poller");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The newest snapshot, or null before the first successful poll. */
  Snapshot latest() {
    return latest.get();
  }

  /** Polls that failed (trainer unreachable, rebalancing, bad answer). */
  long failures() {
    return failures.get();
  }

  private void poll() {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(enginesUri).timeout(Duration.ofSeconds(2)).GET();
      access.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        if (failures.incrementAndGet() % 100 == 1) {
          LOG.warn("{} answered HTTP {}{}", enginesUri, response.statusCode(),
              response.statusCode() == 401 ? " (check synergy.http.token)" : "");
        }
        return;
      }
      List<EngineSnapshot> engines = List.of(json.readValue(response.body(), EngineSnapshot[].class));
      latest.set(new Snapshot(clock.getAsLong(), engines));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (failures.incrementAndGet() % 100 == 1) {
        LOG.warn("cannot poll {}: {}", enginesUri, e.toString());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
