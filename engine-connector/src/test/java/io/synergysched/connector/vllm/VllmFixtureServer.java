package io.synergysched.connector.vllm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in vLLM server on 127.0.0.1 (JDK HttpServer, free port): {@code /metrics} serves the
 * given exposition pages in turn (the last one repeating), {@code /v1/completions} and
 * {@code /v1/chat/completions} answer as the configured {@link Generation} says, writing each SSE
 * event separately so the client sees a real stream. Records request bodies and the most streams
 * it served at once.
 */
final class VllmFixtureServer implements AutoCloseable {

  /** How the generation endpoints answer. */
  interface Generation {
    void answer(HttpExchange exchange, VllmFixtureServer server) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger streaming = new AtomicInteger();
  private final AtomicInteger maxStreaming = new AtomicInteger();
  private final AtomicInteger scrapes = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile List<String> metricsPages = List.of(resource("metrics-current-1.txt"));
  private volatile Generation generation = stream("completions-stream.txt");

  VllmFixtureServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/metrics", this::metrics);
    server.createContext("/v1/completions", this::generate);
    server.createContext("/v1/chat/completions", this::generate);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  VllmFixtureServer metricsPages(String... resources) {
    List<String> pages = new CopyOnWriteArrayList<>();
    for (String r : resources) {
      pages.add(resource(r));
    }
    this.metricsPages = pages;
    return this;
  }

  VllmFixtureServer generation(Generation g) {
    this.generation = g;
    return this;
  }

  List<String> bodies() {
    return bodies;
  }

  int maxConcurrentStreams() {
    return maxStreaming.get();
  }

  int scrapes() {
    return scrapes.get();
  }

  /** Lets stalled streams go. */
  void releaseStalled() {
    release.countDown();
  }

  /** Streams the resource's events, one write per event; ends the body after the last. */
  static Generation stream(String resource) {
    return (exchange, server) -> server.writeEvents(exchange, resource, false);
  }

  /** Streams the resource's events, then holds the stream open until released. */
  static Generation stall(String resource) {
    return (exchange, server) -> server.writeEvents(exchange, resource, true);
  }

  /** Answers with a status and a JSON body, as vLLM does for a refused request. */
  static Generation status(int code, String resource) {
    return (exchange, server) -> {
      byte[] body = resource(resource).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  private void writeEvents(HttpExchange exchange, String resource, boolean stallAtEnd)
      throws IOException {
    int now = streaming.incrementAndGet();
    maxStreaming.accumulateAndGet(now, Math::max);
    boolean counted = true;
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      String[] events = resource(resource).split("(?<=\n\n)");
      for (int i = 0; i < events.length; i++) {
        if (i == events.length - 1 && !stallAtEnd) {
          // Stop counting before the last event, so a client that starts its next stream as soon
          // as it has read this one is never counted twice.
          streaming.decrementAndGet();
          counted = false;
        }
        out.write(events[i].getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      if (stallAtEnd) {
        release.await(30, TimeUnit.SECONDS);
      }
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away (cancelled stream): nothing to answer.
    } finally {
      if (counted) {
        streaming.decrementAndGet();
      }
      exchange.close();
    }
  }

  private void metrics(HttpExchange exchange) throws IOException {
    List<String> pages = metricsPages;
    int i = scrapes.getAndIncrement();
    byte[] body = pages.get(Math.min(i, pages.size() - 1)).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void generate(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    generation.answer(exchange, this);
  }

  static String resource(String name) {
    try (InputStream in = VllmFixtureServer.class.getResourceAsStream("/vllm/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource vllm/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
