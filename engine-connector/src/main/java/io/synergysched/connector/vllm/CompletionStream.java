package io.synergysched.connector.vllm;

import io.synergysched.connector.EngineEventSink;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import java.time.Clock;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's life on a vLLM server, from the HTTP exchange to its last event: reads the SSE
 * lines, measures TTFT and TPOT, and reports FIRST_TOKEN and then exactly one terminal event
 * (FINISHED, or REJECTED with the reason). QUEUED is reported by the backend before the exchange.
 *
 * <p>Times: the first token is the first chunk that carries output, the last token the last such
 * chunk; TPOT is their distance divided by (output tokens - 1), output tokens from the final
 * {@code usage} (else the number of token chunks). Durations come from the monotonic clock; TTFT
 * adds the time from cluster arrival to hand-over on the wall clock, never less than the part
 * measured here.
 *
 * <p>Threads: lines arrive one at a time from the HTTP client; {@link #fail} may come at the same
 * time from the timeout timer or from close(); state changes are synchronized so events keep
 * their order and the terminal event happens once.
 */
final class CompletionStream implements Flow.Subscriber<String> {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionStream.class);

  private final String engineId;
  private final InferenceRequest request;
  private final VllmConfig.ApiStyle api;
  private final EngineEventSink sink;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Runnable onTerminal;
  private final long handedOverMs;
  private final long startNanos;
  private final SseEventAssembler events = new SseEventAssembler();

  private Flow.Subscription subscription;
  private Future<?> exchange;
  private Future<?> timeout;
  private boolean terminal;
  private long firstTokenNanos = -1;
  private long lastTokenNanos = -1;
  private int tokenChunks;
  private StreamChunk.Usage usage;

  CompletionStream(
      String engineId, InferenceRequest request, VllmConfig.ApiStyle api, EngineEventSink sink,
      Clock clock, LongSupplier nanoTime, long handedOverMs, long startNanos, Runnable onTerminal) {
    this.engineId = engineId;
    this.request = request;
    this.api = api;
    this.sink = sink;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.handedOverMs = handedOverMs;
    this.startNanos = startNanos;
    this.onTerminal = onTerminal;
  }

  /** The HTTP exchange and its timeout timer, cancelled when the stream ends early. */
  synchronized void attach(Future<?> exchange, Future<?> timeout) {
    this.exchange = exchange;
    this.timeout = timeout;
    if (terminal) {
      exchange.cancel(true);
      timeout.cancel(false);
    }
  }

  synchronized boolean isTerminal() {
    return terminal;
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    if (subscription != null || terminal) {
      s.cancel();
      return;
    }
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized void onNext(String line) {
    if (terminal) {
      return;
    }
    String data;
    try {
      data = events.accept(line);
    } catch (IllegalStateException e) {
      fail("malformed stream: " + e.getMessage());
      return;
    }
    if (data != null) {
      try {
        onEvent(data);
      } catch (RuntimeException e) {
        // A subscriber must not throw (Flow rules); a surprise here ends this request only.
        fail("could not read chunk: " + describe(e));
      }
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    fail("stream broken after " + tokenChunks + " token chunks: " + describe(t));
  }

  @Override
  public synchronized void onComplete() {
    if (terminal) {
      return;
    }
    String tail = events.undispatched();
    if (tail != null) {
      // The last event lacks its closing blank line; it still counts if it is whole.
      onEvent(tail);
      if (terminal) {
        return;
      }
    }
    fail("stream ended before [DONE] after " + tokenChunks + " token chunks");
  }

  /** A non-200 response: the status and the server's message. */
  synchronized void failHttp(int status, String body) {
    String message = body == null ? "" : body.trim();
    fail("HTTP " + status + (message.isEmpty() ? "" : ": " + StreamChunk.abbreviate(message)));
  }

  /** Ends the request as REJECTED with {@code reason}, once; later calls do nothing. */
  synchronized void fail(String reason) {
    if (terminal) {
      return;
    }
    terminal = true;
    cancelTransport();
    try {
      emit(event(RequestEventType.REJECTED, tokensSoFar()).setReason(reason).build());
    } finally {
      onTerminal.run();
    }
  }

  /** One dispatched event: {@code [DONE]}, a chunk, or something that breaks the stream. */
  private void onEvent(String data) {
    if ("[DONE]".equals(data.trim())) {
      finish();
      return;
    }
    StreamChunk chunk;
    try {
      chunk = StreamChunk.parse(data, api);
    } catch (StreamChunk.MalformedChunkException e) {
      fail(e.getMessage());
      return;
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.tokens()) {
      long now = nanoTime.getAsLong();
      tokenChunks++;
      lastTokenNanos = now;
      if (firstTokenNanos < 0) {
        firstTokenNanos = now;
        emit(event(RequestEventType.FIRST_TOKEN, 1).setTtftUs(ttftUs()).build());
      }
    }
  }

  private void finish() {
    if (tokenChunks == 0) {
      fail("stream finished without generating a token");
      return;
    }
    terminal = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    int outputTokens = usage != null && usage.completionTokens() > 0
        ? usage.completionTokens() : tokenChunks;
    RequestEvent.Builder b = event(RequestEventType.FINISHED, outputTokens).setTtftUs(ttftUs());
    if (outputTokens > 1) {
      b.setTpotUs(Math.max(0, (lastTokenNanos - firstTokenNanos) / 1000) / (outputTokens - 1));
    }
    if (usage != null) {
      b.setCachedPromptTokens(Math.min(usage.cachedTokens(), request.getPromptTokens()));
    }
    try {
      emit(b.build());
    } finally {
      onTerminal.run();
    }
  }

  /** A sink that throws must not leave the stream slot taken or the HTTP thread broken. */
  private void emit(RequestEvent event) {
    try {
      sink.onRequestEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("sink refused {} event of {}: {}", event.getType(), event.getRequestId(), e.toString());
    }
  }

  private int tokensSoFar() {
    return usage != null ? usage.completionTokens() : tokenChunks;
  }

  private long ttftUs() {
    long measuredUs = Math.max(0, (firstTokenNanos - startNanos) / 1000);
    long beforeUs = (handedOverMs - request.getArrivalTimeMs()) * 1000;
    return measuredUs + Math.max(0, beforeUs);
  }

  private RequestEvent.Builder event(RequestEventType type, int outputTokens) {
    return RequestEvent.newBuilder()
        .setEngineId(engineId)
        .setRequestId(request.getRequestId())
        .setType(type)
        .setEventTimeMs(clock.millis())
        .setArrivalTimeMs(request.getArrivalTimeMs())
        .setPromptTokens(request.getPromptTokens())
        .setCachedPromptTokens(0)
        .setOutputTokens(Math.max(0, outputTokens))
        .setSloTtftMs(request.getSloTtftMs())
        .setSloTpotMs(request.getSloTpotMs());
  }

  private void cancelTransport() {
    if (subscription != null) {
      subscription.cancel();
    }
    if (exchange != null) {
      exchange.cancel(true);
    }
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root
        && (root instanceof java.util.concurrent.CompletionException
            || root instanceof java.util.concurrent.ExecutionException
            || root.getMessage() == null)) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
