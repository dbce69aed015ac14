package io.synergysched.connector.vllm;

import io.synergysched.connector.RecordingSink;

import static io.synergysched.schemas.RequestEventType.FINISHED;
import static io.synergysched.schemas.RequestEventType.FIRST_TOKEN;
import static io.synergysched.schemas.RequestEventType.QUEUED;
import static io.synergysched.schemas.RequestEventType.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.StepTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VllmBackendTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long NOW_MS = 1_763_787_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC);
  /** Monotonic nanoseconds advancing one millisecond per reading: start, then each token chunk. */
  private final AtomicLong ticks = new AtomicLong();
  private VllmFixtureServer server;
  private VllmBackend backend;
  private final RecordingSink sink = new RecordingSink();

  @BeforeEach
  void startServer() throws IOException {
    server = new VllmFixtureServer();
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    server.close();
  }

  @Test
  void shouldReportQueuedFirstTokenFinishedWithTtftAndTpotWhenStreamCompletes() throws Exception {
    start(Map.of());

    backend.submit(routed("r-1", 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-1", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, FIRST_TOKEN, FINISHED);
    RequestEvent first = events.get(1);
    RequestEvent done = events.get(2);
    // start at tick 1, first token chunk at tick 2, last (fifth) at tick 6: 1 ms TTFT, 4 ms / 4 gaps
    assertThat(first.getTtftUs()).isEqualTo(1_000L);
    assertThat(done.getTtftUs()).isEqualTo(1_000L);
    assertThat(done.getTpotUs()).isEqualTo(1_000L);
    assertThat(done.getOutputTokens()).isEqualTo(5);
    assertThat(done.getCachedPromptTokens()).isEqualTo(8);
    assertThat(done.getPromptTokens()).isEqualTo(12);
    assertThat(done.getReason()).isNull();
    assertThat(done.getEngineId()).isEqualTo("vllm-0");

    JsonNode body = JSON.readTree(server.bodies().get(0));
    assertThat(body.get("model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(body.get("prompt").isArray()).isTrue();
    assertThat(body.get("prompt")).hasSize(12);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(5);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(body.get("ignore_eos").asBoolean()).isTrue();
    awaitNoStreamsInFlight();
  }

  @Test
  void shouldCountFromFirstContentChunkWhenApiIsChat() throws Exception {
    server.generation(VllmFixtureServer.stream("chat-stream.txt"));
    start(Map.of(VllmConfig.API, "chat"));

    backend.submit(routed("c-1", 20, 4));

    List<RequestEvent> events = sink.awaitTerminal("c-1", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, FIRST_TOKEN, FINISHED);
    // The role announcement is not a token: first content at tick 2, last of four at tick 5.
    assertThat(events.get(2).getTtftUs()).isEqualTo(1_000L);
    assertThat(events.get(2).getTpotUs()).isEqualTo(1_000L);
    assertThat(events.get(2).getOutputTokens()).isEqualTo(4);
    JsonNode body = JSON.readTree(server.bodies().get(0));
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/messages/0/content").asText().split(" ")).hasSize(20);
  }

  @Test
  void shouldRejectWithReasonWhenStreamIsCutOffMidway() throws Exception {
    server.generation(VllmFixtureServer.stream("completions-stream-cut.txt"));
    start(Map.of());

    backend.submit(routed("r-cut", 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-cut", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, FIRST_TOKEN, REJECTED);
    assertThat(events.get(2).getReason()).contains("before [DONE]").contains("2 token chunks");
    assertThat(events.get(2).getOutputTokens()).isEqualTo(2);
  }

  @Test
  void shouldRejectWhenConnectionDropsInsideAChunk() throws Exception {
    try (DroppingServer dropping = new DroppingServer()) {
      start(Map.of(VllmConfig.ENDPOINT, dropping.baseUrl()));

      backend.submit(routed("r-drop", 12, 5));

      List<RequestEvent> events = sink.awaitTerminal("r-drop", WAIT);
      assertThat(events.get(events.size() - 1).getType()).isEqualTo(REJECTED);
      assertThat(events.get(events.size() - 1).getReason()).isNotBlank();
      assertThat(events).filteredOn(e -> e.getType() == REJECTED).hasSize(1);
    }
  }

  @ParameterizedTest
  @CsvSource({"400, error-400.json, maximum context length", "500, error-500.json, EngineCore"})
  void shouldRejectWithStatusAndServerMessageWhenServerAnswersError(
      int status, String resource, String message) throws Exception {
    server.generation(VllmFixtureServer.status(status, resource));
    start(Map.of());

    backend.submit(routed("r-" + status, 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-" + status, WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, REJECTED);
    assertThat(events.get(1).getReason()).startsWith("HTTP " + status).contains(message);
  }

  @Test
  void shouldRejectWhenAChunkIsMalformed() throws Exception {
    server.generation(VllmFixtureServer.stream("completions-stream-malformed.txt"));
    start(Map.of());

    backend.submit(routed("r-bad", 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-bad", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, FIRST_TOKEN, REJECTED);
    assertThat(events.get(2).getReason()).startsWith("malformed chunk");
  }

  @Test
  void shouldRejectWithServerMessageWhenStreamCarriesAnError() throws Exception {
    server.generation(VllmFixtureServer.stream("completions-stream-error.txt"));
    start(Map.of());

    backend.submit(routed("r-err", 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-err", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, FIRST_TOKEN, REJECTED);
    assertThat(events.get(2).getReason()).contains("server error in stream").contains("Internal server error");
  }

  @Test
  void shouldRejectWhenStreamStallsPastTheTimeout() throws Exception {
    server.generation(VllmFixtureServer.stall("completions-stream-cut.txt"));
    start(Map.of(VllmConfig.REQUEST_TIMEOUT_MS, "300"));

    backend.submit(routed("r-slow", 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-slow", WAIT);
    assertThat(events.get(events.size() - 1).getType()).isEqualTo(REJECTED);
    assertThat(events.get(events.size() - 1).getReason()).isEqualTo("timed out after 300 ms");
    awaitNoStreamsInFlight();
  }

  @Test
  void shouldRejectWhenServerIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    start(Map.of(VllmConfig.ENDPOINT, "http://127.0.0.1:" + closedPort));

    backend.submit(routed("r-gone", 12, 5));

    List<RequestEvent> events = sink.awaitTerminal("r-gone", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(QUEUED, REJECTED);
    assertThat(events.get(1).getReason()).startsWith("request failed");
    assertThat(backend.isHealthy()).isFalse();
  }

  @Test
  void shouldKeepAtMostMaxConcurrentStreamsWhenManyRequestsArrive() throws Exception {
    start(Map.of(VllmConfig.MAX_CONCURRENT_STREAMS, "2"));

    for (int i = 0; i < 8; i++) {
      backend.submit(routed("m-" + i, 12, 5));
    }

    for (int i = 0; i < 8; i++) {
      List<RequestEvent> events = sink.awaitTerminal("m-" + i, WAIT);
      assertThat(events).as("events of m-%d: %s", i, events)
          .extracting(RequestEvent::getType).containsExactly(QUEUED, FIRST_TOKEN, FINISHED);
    }
    assertThat(server.maxConcurrentStreams()).isBetween(1, 2);
    assertThat(server.bodies()).hasSize(8);
  }

  @Test
  void shouldServeTheRequestWhenItsIdIsNoValidHeaderValue() throws Exception {
    start(Map.of());

    backend.submit(routed("odd\nid", 12, 5));

    assertThat(sink.awaitTerminal("odd\nid", WAIT)).extracting(RequestEvent::getType)
        .containsExactly(QUEUED, FIRST_TOKEN, FINISHED);
  }

  @Test
  void shouldRejectLocallyWhenRequestExceedsMaxModelLen() throws Exception {
    start(Map.of(VllmConfig.MAX_MODEL_LEN, "100"));

    backend.submit(routed("r-long", 90, 20));

    List<RequestEvent> events = sink.awaitTerminal("r-long", WAIT);
    assertThat(events).extracting(RequestEvent::getType).containsExactly(REJECTED);
    assertThat(events.get(0).getReason()).contains("exceed max model len 100");
    assertThat(server.bodies()).isEmpty();
  }

  @Test
  void shouldRejectStreamingAndWaitingRequestsWhenClosed() throws Exception {
    server.generation(VllmFixtureServer.stall("completions-stream-cut.txt"));
    start(Map.of(VllmConfig.MAX_CONCURRENT_STREAMS, "1"));
    backend.submit(routed("s-1", 12, 5));
    backend.submit(routed("s-2", 12, 5));
    awaitFirstToken("s-1");

    backend.close();

    assertThat(sink.awaitTerminal("s-1", WAIT)).extracting(RequestEvent::getType)
        .containsExactly(QUEUED, FIRST_TOKEN, REJECTED);
    assertThat(sink.awaitTerminal("s-2", WAIT)).extracting(RequestEvent::getType)
        .containsExactly(QUEUED, REJECTED);
    assertThat(sink.events("s-2").get(1).getReason()).isEqualTo("engine stopped");
    backend.submit(routed("s-3", 12, 5));
    assertThat(sink.awaitTerminal("s-3", WAIT)).extracting(RequestEvent::getType)
        .containsExactly(REJECTED);
    assertThat(backend.isHealthy()).isFalse();
  }

  @Test
  void shouldPublishApproximateStepAndLearnKvCapacityWhenScrapesDiffer() throws Exception {
    server.metricsPages("metrics-current-1.txt", "metrics-current-2.txt");
    backend = new VllmBackend(
        config(Map.of(VllmConfig.SCRAPE_INTERVAL_MS, "20")), fiveSecondsPerReading(), this::tick);
    backend.start(sink);

    StepTelemetry step = sink.awaitSteps(1, WAIT).get(0);

    assertThat(step.getEngineId()).isEqualTo("vllm-0");
    assertThat(step.getStepIndex()).isEqualTo(1099);
    assertThat(step.getDurationUs()).isEqualTo(20_000);
    assertThat(step.getPrefillTokens()).isEqualTo(20);
    assertThat(step.getDecodeSeqs()).isEqualTo(10);
    assertThat(step.getKvBlocksTotal()).isEqualTo(1000);
    assertThat(backend.isHealthy()).isTrue();
    EngineDescriptor d = backend.descriptor(NOW_MS);
    assertThat(d.getKvBlocksTotal()).isEqualTo(1000);
    assertThat(d.getBlockSizeTokens()).isEqualTo(16);
    assertThat(d.getEndpoint()).isEqualTo(server.baseUrl());
    assertThat(d.getGpu()).isEqualTo("a100");
    assertThat(d.getScheduler()).isEqualTo("vllm-default");
  }

  @ParameterizedTest
  @CsvSource({
      "metrics-deprecated-1.txt, metrics-deprecated-2.txt",
      "metrics-current-1.txt, metrics-v09-both-names-2.txt",
      "metrics-current-1.txt, metrics-unknown-2.txt"})
  void shouldPublishTheSameStepWhenPagesUseDeprecatedNamesOrUnknownMetrics(
      String first, String second) throws Exception {
    server.metricsPages(first, second);
    backend = new VllmBackend(
        config(Map.of(VllmConfig.SCRAPE_INTERVAL_MS, "20")), fiveSecondsPerReading(), this::tick);
    backend.start(sink);

    StepTelemetry step = sink.awaitSteps(1, WAIT).get(0);

    assertThat(step.getStepIndex()).isEqualTo(1099);
    assertThat(step.getDurationUs()).isEqualTo(20_000);
    assertThat(step.getPrefillTokens()).isEqualTo(20);
    assertThat(step.getDecodeSeqs()).isEqualTo(10);
    assertThat(step.getKvBlocksUsed()).isEqualTo(500);
    assertThat(backend.scrapeFailures()).isZero();
  }

  @Test
  void shouldContinueStepIndexAfterARestartWhenCountersReset() throws Exception {
    server.metricsPages("metrics-current-1.txt", "metrics-current-2.txt",
        "metrics-restarted-1.txt", "metrics-restarted-2.txt");
    backend = new VllmBackend(
        config(Map.of(VllmConfig.SCRAPE_INTERVAL_MS, "20")), fiveSecondsPerReading(), this::tick);
    backend.start(sink);

    List<StepTelemetry> steps = sink.awaitSteps(2, WAIT);

    assertThat(steps).extracting(StepTelemetry::getStepIndex).containsExactly(1099L, 1249L);
    assertThat(backend.scrapeFailures()).isZero();
  }

  @Test
  void shouldKeepScrapingAndCountTheFailureWhenAPageIsMalformed() throws Exception {
    server.metricsPages("metrics-current-1.txt", "metrics-malformed.txt", "metrics-current-2.txt");
    backend = new VllmBackend(
        config(Map.of(VllmConfig.SCRAPE_INTERVAL_MS, "20")), fiveSecondsPerReading(), this::tick);
    backend.start(sink);

    StepTelemetry step = sink.awaitSteps(1, WAIT).get(0);

    // The broken page left the baseline alone: the step spans both windows.
    assertThat(backend.scrapeFailures()).isGreaterThanOrEqualTo(1);
    assertThat(step.getStepIndex()).isEqualTo(1099);
    assertThat(step.getDurationUs()).isEqualTo(20_000);
  }

  @Test
  void shouldPublishNoApproximateStepsButStayHealthyWhenEnginePublishesItsOwn() throws Exception {
    server.metricsPages("metrics-current-1.txt", "metrics-current-2.txt");
    backend = new VllmBackend(config(Map.of(VllmConfig.SCRAPE_INTERVAL_MS, "20",
        VllmConfig.APPROXIMATE_STEPS, "false")), fiveSecondsPerReading(), this::tick);
    backend.start(sink);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.scrapes() < 4) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("scrapes: " + server.scrapes());
      }
      synchronized (sink) {
        sink.wait(10);
      }
    }

    assertThat(sink.steps()).isEmpty();
    assertThat(backend.isHealthy()).isTrue();
  }

  @Test
  void shouldFreeTheStreamSlotWhenTheSinkThrows() throws Exception {
    io.synergysched.connector.EngineEventSink throwing = new io.synergysched.connector.EngineEventSink() {
      @Override
      public void onStep(StepTelemetry step) {
        sink.onStep(step);
      }

      @Override
      public void onRequestEvent(RequestEvent event) {
        sink.onRequestEvent(event);
        if (event.getType() != QUEUED) {
          throw new IllegalStateException("sink is broken");
        }
      }
    };
    backend = new VllmBackend(config(Map.of(VllmConfig.MAX_CONCURRENT_STREAMS, "1")), clock, this::tick);
    backend.start(throwing);

    backend.submit(routed("t-1", 12, 5));
    backend.submit(routed("t-2", 12, 5));

    assertThat(sink.awaitTerminal("t-2", WAIT)).extracting(RequestEvent::getType)
        .containsExactly(QUEUED, FIRST_TOKEN, FINISHED);
    assertThat(sink.events("t-1")).extracting(RequestEvent::getType)
        .containsExactly(QUEUED, FIRST_TOKEN, FINISHED);
  }

  private static Clock fiveSecondsPerReading() {
    AtomicLong millis = new AtomicLong(NOW_MS);
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.addAndGet(5_000));
      }
    };
  }

  private long tick() {
    return ticks.addAndGet(1_000_000);
  }

  private void awaitNoStreamsInFlight() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (backend.streamsInFlight() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("streams still in flight: " + backend.streamsInFlight());
      }
      synchronized (sink) {
        sink.wait(10);
      }
    }
  }

  private void awaitFirstToken(String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (sink.events(requestId).stream().noneMatch(e -> e.getType() == FIRST_TOKEN)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no first token for " + requestId);
      }
      synchronized (sink) {
        sink.wait(10);
      }
    }
  }

  private void start(Map<String, String> overrides) {
    backend = new VllmBackend(config(overrides), clock, this::tick);
    backend.start(sink);
  }

  private VllmConfig config(Map<String, String> overrides) {
    Map<String, String> p = new HashMap<>();
    p.put(VllmConfig.ENDPOINT, server.baseUrl());
    p.put(VllmConfig.SERVED_MODEL, "meta-llama/Llama-3.1-8B-Instruct");
    p.put(VllmConfig.ENGINE_ID, "vllm-0");
    p.put(VllmConfig.GPU, "a100");
    p.put(VllmConfig.MODEL_LABEL, "llama-3-8b");
    p.put(VllmConfig.SCRAPE_INTERVAL_MS, "200");
    p.putAll(overrides);
    return VllmConfig.fromProperties(p);
  }

  private static RoutedRequest routed(String id, int prompt, int output) {
    return RoutedRequest.newBuilder()
        .setEngineId("vllm-0")
        .setDecisionId("d-" + id)
        .setRoutedAtMs(NOW_MS)
        .setPolicy("prism")
        .setRequest(InferenceRequest.newBuilder()
            .setRequestId(id)
            .setArrivalTimeMs(NOW_MS)
            .setPromptTokens(prompt)
            .setMaxOutputTokens(output)
            .setSloTtftMs(500)
            .setSloTpotMs(50)
            .build())
        .build();
  }

  /**
   * Answers a generation request with the headers and half a chunk of a chunked body, then resets
   * the connection: a stream cut inside a chunk, which JDK HttpServer cannot do. Other paths get
   * 404.
   */
  private static final class DroppingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;

    DroppingServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::serve, "dropping-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          String head = readHead(s.getInputStream());
          OutputStream out = s.getOutputStream();
          if (!head.startsWith("POST /v1/completions")) {
            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            continue;
          }
          String event = VllmFixtureServer.resource("completions-stream-cut.txt").split("\n\n")[0]
              + "\n\n";
          byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(bytes);
          out.write(("\r\n400\r\n" + "data: {\"id\":\"cmpl-1\",").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          s.setSoLinger(true, 0);
        } catch (IOException e) {
          // closed, or the client left first
        }
      }
    }

    private static String readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      int contentLength = 0;
      int c;
      while ((c = in.read()) != -1) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          contentLength = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.readNBytes(contentLength);
      return head.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
