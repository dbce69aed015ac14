package io.synergysched.connector.vllm;

import io.synergysched.connector.EngineEventSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes a vLLM server's {@code /metrics} every interval and reports the step each window stands
 * for (see {@link StepApproximator}). Scrapes never overlap: the next is scheduled when the last
 * one has finished, successfully or not. A failed or malformed scrape is counted and logged and
 * leaves the baseline alone, so the next good page covers both windows.
 *
 * <p>Threads: runs on the given scheduler and the HTTP client's threads, one scrape at a time, so
 * the approximator sees the pages in order from one logical thread.
 */
final class MetricsScraper {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsScraper.class);

  private final HttpClient client;
  private final HttpRequest request;
  private final long intervalMs;
  private final StepApproximator approximator;
  private final EngineEventSink sink;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final LongConsumer onContact;
  private final boolean publishSteps;
  private final AtomicLong scrapes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private volatile VllmMetricsSnapshot latest;
  private volatile boolean stopped;
  private volatile ScheduledFuture<?> next;
  private volatile CompletableFuture<?> inFlight;

  MetricsScraper(
      HttpClient client, VllmConfig config, StepApproximator approximator, EngineEventSink sink,
      ScheduledExecutorService scheduler, Clock clock, LongConsumer onContact) {
    this.client = client;
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create(config.endpoint() + config.metricsPath()))
        .timeout(scrapeTimeout(config))
        .header("Accept", "text/plain;version=0.0.4")
        .GET();
    if (config.apiKey() != null) {
      b.header("Authorization", "Bearer " + config.apiKey());
    }
    this.request = b.build();
    this.intervalMs = config.scrapeInterval().toMillis();
    this.approximator = approximator;
    this.sink = sink;
    this.scheduler = scheduler;
    this.clock = clock;
    this.onContact = onContact;
    this.publishSteps = config.approximateSteps();
  }

  /**
   * Five intervals, at least five seconds (a busy server is slow, not dead), at most the request
   * timeout.
   */
  static Duration scrapeTimeout(VllmConfig config) {
    Duration t = config.scrapeInterval().multipliedBy(5);
    if (t.compareTo(Duration.ofSeconds(5)) < 0) {
      t = Duration.ofSeconds(5);
    }
    return t.compareTo(config.requestTimeout()) > 0 ? config.requestTimeout() : t;
  }

  void start() {
    schedule(0);
  }

  void stop() {
    stopped = true;
    ScheduledFuture<?> n = next;
    if (n != null) {
      n.cancel(false);
    }
    CompletableFuture<?> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
  }

  /** Pages fetched and parsed. */
  long scrapes() {
    return scrapes.get();
  }

  /** Scrapes that failed: unreachable, non-200, or a page that breaks the syntax. */
  long failures() {
    return failures.get();
  }

  /** The last good page's snapshot, or null before the first. */
  VllmMetricsSnapshot latest() {
    return latest;
  }

  private void schedule(long delayMs) {
    if (stopped) {
      return;
    }
    try {
      next = scheduler.schedule(this::scrape, delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The backend is closing.
    }
  }

  private void scrape() {
    if (stopped) {
      return;
    }
    CompletableFuture<HttpResponse<String>> f =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    inFlight = f;
    f.whenComplete((response, error) -> {
      try {
        if (!stopped) {
          handle(response, error);
        }
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        LOG.warn("metrics scrape of {} failed: {}", request.uri(), e.toString());
      } finally {
        schedule(intervalMs);
      }
    });
  }

  private void handle(HttpResponse<String> response, Throwable error) {
    if (error != null) {
      fail("unreachable: " + CompletionStream.describe(error));
      return;
    }
    if (response.statusCode() != 200) {
      fail("HTTP " + response.statusCode());
      return;
    }
    MetricsPage page;
    try {
      page = PrometheusTextParser.parse(response.body());
    } catch (PrometheusTextParser.MalformedPageException e) {
      fail("malformed page, " + e.getMessage());
      return;
    }
    VllmMetricsSnapshot snapshot = VllmMetricsSnapshot.from(page, clock.millis());
    scrapes.incrementAndGet();
    latest = snapshot;
    onContact.accept(System.nanoTime());
    approximator.next(snapshot).filter(step -> publishSteps).ifPresent(sink::onStep);
  }

  private void fail(String why) {
    long n = failures.incrementAndGet();
    if (n <= 3 || Long.bitCount(n) == 1) {
      LOG.warn("metrics scrape of {} failed ({} so far): {}", request.uri(), n, why);
    }
  }
}
