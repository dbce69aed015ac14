package io.synergysched.connector.vllm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synergysched.connector.EngineBackend;
import io.synergysched.connector.EngineEventSink;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.StepTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real vLLM server (or any OpenAI-compatible server) as an {@link EngineBackend}.
 *
 * <p>Each routed request becomes one streaming {@code POST /v1/completions} (or
 * {@code /v1/chat/completions}) with {@code max_tokens} = the request's {@code maxOutputTokens},
 * {@code stream_options.include_usage} on, and a synthetic prompt of the request's length (see
 * {@link SyntheticPrompt}). The stream is read without blocking a thread; TTFT and TPOT are
 * measured from it (see {@link CompletionStream}). At most {@code maxConcurrentStreams} requests
 * stream at once; the rest wait here in arrival order, up to {@code maxPending}. Every request
 * gets QUEUED on hand-over and then FIRST_TOKEN and FINISHED, or REJECTED with the reason (HTTP
 * error, refused connection, stream cut off, malformed chunk, server error in the stream,
 * timeout, too long for the model, queue full, engine stopped); a request that never reaches the
 * server gets only REJECTED.
 *
 * <p>{@code /metrics} is scraped every {@code scrapeInterval} and each window becomes one
 * approximate {@code StepTelemetry} (see {@link StepApproximator}). LENS hints are ignored: stock
 * vLLM cannot take a per-step budget from outside (docs/vllm-adapter.md says where one would plug
 * in).
 *
 * <p>Healthy means started, not closed, and in contact with the server (a good scrape or a 200
 * response) within the last three scrape intervals (at least one second).
 */
public final class VllmBackend implements EngineBackend {

  private static final Logger LOG = LoggerFactory.getLogger(VllmBackend.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VllmConfig config;
  private final Clock clock;
  private final SyntheticPrompt prompts;
  private final URI generationUri;
  private final Semaphore streamPermits;
  private final Queue<RoutedRequest> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final Set<CompletionStream> active = ConcurrentHashMap.newKeySet();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong lastContactNanos = new AtomicLong();
  private final long healthWindowNanos;
  private final LongSupplier ticker;

  private volatile EngineEventSink sink;
  private volatile boolean closed;
  private volatile long startedAtMs;
  private ExecutorService httpExecutor;
  private ScheduledExecutorService scheduler;
  private HttpClient client;
  private volatile MetricsScraper scraper;

  public VllmBackend(VllmConfig config) {
    this(config, Clock.systemUTC());
  }

  /** @param clock wall clock for event times (epoch ms); durations use {@link System#nanoTime} */
  public VllmBackend(VllmConfig config, Clock clock) {
    this(config, clock, System::nanoTime);
  }

  /** @param ticker monotonic nanoseconds for the TTFT and TPOT measurements (tests fake it) */
  VllmBackend(VllmConfig config, Clock clock, LongSupplier ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.config = Objects.requireNonNull(config, "config").validate();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prompts = new SyntheticPrompt(config.promptTokenIdMin(), config.promptTokenIdMax());
    this.generationUri = URI.create(config.endpoint() + config.generationPath());
    this.streamPermits = new Semaphore(config.maxConcurrentStreams());
    this.healthWindowNanos =
        Math.max(TimeUnit.SECONDS.toNanos(1), config.scrapeInterval().multipliedBy(3).toNanos());
  }

  @Override
  public String engineId() {
    return config.engineId();
  }

  @Override
  public EngineDescriptor descriptor(long heartbeatMs) {
    VllmMetricsSnapshot seen = scraper == null ? null : scraper.latest();
    int blocks = seen != null && seen.kvBlocksTotal() > 0 ? seen.kvBlocksTotal()
        : config.kvBlocksTotal();
    int blockSize = seen != null && seen.blockSizeTokens() > 0 ? seen.blockSizeTokens()
        : config.blockSizeTokens();
    return EngineDescriptor.newBuilder()
        .setEngineId(config.engineId())
        .setGpu(config.gpu())
        .setModel(config.modelLabel())
        .setTensorParallel(config.tensorParallel())
        .setKvBlocksTotal(blocks)
        .setBlockSizeTokens(blockSize)
        .setMaxNumBatchedTokens(config.maxNumBatchedTokens())
        .setMaxNumSeqs(config.maxNumSeqs())
        .setMaxModelLen(config.maxModelLen())
        .setScheduler("vllm-default")
        .setEndpoint(config.endpoint().toString())
        .setStartedAtMs(startedAtMs)
        .setHeartbeatMs(heartbeatMs)
        .build();
  }

  @Override
  public synchronized void start(EngineEventSink sink) {
    if (this.sink != null) {
      throw new IllegalStateException("engine " + config.engineId() + " already started");
    }
    if (closed) {
      throw new IllegalStateException("engine " + config.engineId() + " is closed");
    }
    this.httpExecutor = Executors.newCachedThreadPool(daemonThreads("vllm-" + engineId() + "-http"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(
        daemonThreads("vllm-" + engineId() + "-timer"));
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .executor(httpExecutor)
        .build();
    this.startedAtMs = clock.millis();
    this.scraper = new MetricsScraper(
        client, config,
        new StepApproximator(engineId(), config.kvBlocksTotal(), config.blockSizeTokens()),
        Objects.requireNonNull(sink, "sink"), scheduler, clock, lastContactNanos::set);
    this.sink = sink;
    scraper.start();
  }

  @Override
  public void submit(RoutedRequest routed) {
    EngineEventSink out = sink;
    InferenceRequest request = routed.getRequest();
    if (out == null) {
      throw new IllegalStateException("engine " + config.engineId() + " not started");
    }
    if (closed) {
      reject(out, request, "engine stopped");
      return;
    }
    long total = (long) request.getPromptTokens() + request.getMaxOutputTokens();
    if (request.getPromptTokens() < 1 || request.getMaxOutputTokens() < 1) {
      reject(out, request, "prompt and output tokens must be >= 1, were "
          + request.getPromptTokens() + " and " + request.getMaxOutputTokens());
      return;
    }
    if (total > config.maxModelLen()) {
      reject(out, request, "prompt " + request.getPromptTokens() + " + output "
          + request.getMaxOutputTokens() + " tokens exceed max model len " + config.maxModelLen());
      return;
    }
    if (pendingCount.incrementAndGet() > config.maxPending() && streamPermits.availablePermits() == 0) {
      pendingCount.decrementAndGet();
      reject(out, request, "connector queue full (" + config.maxPending() + " waiting)");
      return;
    }
    out.onRequestEvent(queued(request));
    pending.add(routed);
    if (closed) {
      // close() may have emptied the queue before this request joined it.
      rejectPending(out);
      return;
    }
    drain();
  }

  @Override
  public boolean isHealthy() {
    long contact = lastContactNanos.get();
    return sink != null && !closed && contact != 0
        && System.nanoTime() - contact <= healthWindowNanos;
  }

  /** Requests streaming right now. */
  public int streamsInFlight() {
    return active.size();
  }

  /** Requests waiting in the connector for a stream slot. */
  public int pendingRequests() {
    return pendingCount.get();
  }

  /** Requests rejected so far, for any reason. */
  public long rejectedRequests() {
    return rejected.get();
  }

  /** Metrics scrapes that failed so far. */
  public long scrapeFailures() {
    return scraper == null ? 0 : scraper.failures();
  }

  /** Metrics pages scraped and parsed so far. */
  public long scrapes() {
    return scraper == null ? 0 : scraper.scrapes();
  }

  @Override
  public void close() {
    List<CompletionStream> streams;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (scraper != null) {
      scraper.stop();
    }
    rejectPending(sink);
    streams = new ArrayList<>(active);
    for (CompletionStream s : streams) {
      s.fail("engine stopped");
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (httpExecutor != null) {
      httpExecutor.shutdownNow();
    }
  }

  private void rejectPending(EngineEventSink out) {
    RoutedRequest waiting;
    while ((waiting = pending.poll()) != null) {
      pendingCount.decrementAndGet();
      reject(out, waiting.getRequest(), "engine stopped");
    }
  }

  /** Starts waiting requests while stream slots are free. */
  private void drain() {
    while (!pending.isEmpty() && !closed) {
      if (!streamPermits.tryAcquire()) {
        return;
      }
      RoutedRequest next = pending.poll();
      if (next == null) {
        streamPermits.release();
        continue;
      }
      pendingCount.decrementAndGet();
      try {
        stream(next);
      } catch (RuntimeException e) {
        // Building or sending failed before the stream existed: the slot is still ours.
        streamPermits.release();
        reject(sink, next.getRequest(), "could not send: " + e);
      }
    }
  }

  private void stream(RoutedRequest routed) {
    InferenceRequest request = routed.getRequest();
    // Built first: a request that cannot be written fails here, before it holds any state.
    HttpRequest httpRequest = httpRequest(request);
    long handedOverMs = clock.millis();
    CompletionStream[] self = new CompletionStream[1];
    CompletionStream stream = new CompletionStream(
        engineId(), request, config.api(), countingRejects(sink), clock, ticker,
        handedOverMs, ticker.getAsLong(),
        () -> {
          active.remove(self[0]);
          streamPermits.release();
          drain();
        });
    self[0] = stream;
    active.add(stream);
    if (closed) {
      stream.fail("engine stopped");
      return;
    }
    send(stream, httpRequest, 0);
  }

  /**
   * Sends one attempt of a stream's request. A request that fails before any response header
   * arrived, on a connection-level error (typically a pooled keep-alive connection the server had
   * just closed), is sent once more: nothing of it has reached the client yet, so the retry is
   * invisible to it (the server may compute the first attempt's prefill in vain).
   */
  private void send(CompletionStream stream, HttpRequest httpRequest, int attempt) {
    AtomicBoolean headersSeen = new AtomicBoolean();
    HttpResponse.BodyHandler<Void> handler = info -> {
      headersSeen.set(true);
      if (info.statusCode() != 200) {
        return HttpResponse.BodySubscribers.mapping(
            HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
            text -> {
              stream.failHttp(info.statusCode(), text);
              return null;
            });
      }
      String type = info.headers().firstValue("Content-Type").orElse("");
      if (!type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
        stream.fail("expected text/event-stream, got '" + type + "'");
        return HttpResponse.BodySubscribers.replacing(null);
      }
      lastContactNanos.set(System.nanoTime());
      return HttpResponse.BodySubscribers.fromLineSubscriber(stream);
    };
    CompletableFuture<HttpResponse<Void>> exchange;
    ScheduledFuture<?> timer;
    try {
      exchange = client.sendAsync(httpRequest, handler);
      timer = scheduler.schedule(
          () -> stream.fail("timed out after " + config.requestTimeout().toMillis() + " ms"),
          config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      stream.fail("could not send: " + CompletionStream.describe(e));
      return;
    }
    stream.attach(exchange, timer);
    exchange.whenComplete((response, error) -> {
      if (error != null) {
        if (attempt == 0 && !headersSeen.get() && !closed && !stream.isTerminal()
            && isConnectionFailure(error)) {
          timer.cancel(false);
          send(stream, httpRequest, attempt + 1);
          return;
        }
        stream.fail("request failed: " + CompletionStream.describe(error));
      } else if (!stream.isTerminal() && response.statusCode() == 200) {
        // Safety net: onComplete always ends the stream, so this should never be reached.
        stream.fail("stream ended without a terminal event");
      }
    });
  }

  /** An I/O failure of the connection itself (not a timeout, not a refused connection). */
  private static boolean isConnectionFailure(Throwable error) {
    Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return t instanceof java.io.IOException
        && !(t instanceof java.net.http.HttpTimeoutException)
        && !(t instanceof java.net.ConnectException);
  }

  private HttpRequest httpRequest(InferenceRequest request) {
    HttpRequest.Builder http = HttpRequest.newBuilder(generationUri)
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body(request), StandardCharsets.UTF_8));
    if (request.getRequestId().chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      // Only for correlation in server logs; an id that is not a valid header value is left out.
      http.header("X-Request-Id", request.getRequestId());
    }
    if (config.apiKey() != null) {
      http.header("Authorization", "Bearer " + config.apiKey());
    }
    return http.build();
  }

  /** The JSON body: model, synthetic prompt, max_tokens, streaming with usage. */
  String body(InferenceRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.servedModel());
    if (config.api() == VllmConfig.ApiStyle.CHAT) {
      ArrayNode messages = body.putArray("messages");
      messages.addObject().put("role", "user").put("content", prompts.text(request));
    } else if (config.prompt() == VllmConfig.PromptMode.TOKEN_IDS) {
      ArrayNode ids = body.putArray("prompt");
      for (int id : prompts.tokenIds(request)) {
        ids.add(id);
      }
    } else {
      body.put("prompt", prompts.text(request));
    }
    body.put("max_tokens", request.getMaxOutputTokens());
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    if (config.ignoreEos()) {
      body.put("ignore_eos", true);
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write request body", e);
    }
  }

  private EngineEventSink countingRejects(EngineEventSink out) {
    return new EngineEventSink() {
      @Override
      public void onStep(StepTelemetry step) {
        out.onStep(step);
      }

      @Override
      public void onRequestEvent(RequestEvent event) {
        if (event.getType() == RequestEventType.REJECTED) {
          rejected.incrementAndGet();
          LOG.debug("request {} rejected by {}: {}", event.getRequestId(), engineId(),
              event.getReason());
        }
        out.onRequestEvent(event);
      }
    };
  }

  private void reject(EngineEventSink out, InferenceRequest request, String reason) {
    rejected.incrementAndGet();
    if (out == null) {
      return;
    }
    out.onRequestEvent(baseEvent(request, RequestEventType.REJECTED).setReason(reason).build());
  }

  private RequestEvent queued(InferenceRequest request) {
    return baseEvent(request, RequestEventType.QUEUED).build();
  }

  private RequestEvent.Builder baseEvent(InferenceRequest request, RequestEventType type) {
    return RequestEvent.newBuilder()
        .setEngineId(engineId())
        .setRequestId(request.getRequestId())
        .setType(type)
        .setEventTimeMs(clock.millis())
        .setArrivalTimeMs(request.getArrivalTimeMs())
        .setPromptTokens(request.getPromptTokens())
        .setCachedPromptTokens(0)
        .setOutputTokens(0)
        .setSloTtftMs(request.getSloTtftMs())
        .setSloTpotMs(request.getSloTpotMs());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
