package io.synergysched.topologies.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/JSON face of {@link EngineQueryService}:
 *
 * <ul>
 *   <li>{@code GET /engines}: every engine of the cluster (this instance asks its peers);
 *   <li>{@code GET /engines/{id}}: one engine, forwarded to the instance that owns it;
 *   <li>either with {@code ?local=true}: this instance's stores only (what peers ask each other);
 *   <li>{@code GET /health}: the Kafka Streams state.
 * </ul>
 *
 * Answers 404 for an unknown engine or path, 405 for other methods, 503 with {@code Retry-After}
 * while the stores are not queryable (starting, rebalancing, a peer down).
 */
public final class EngineQueryHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EngineQueryHttpServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectMapper json;
  private EngineQueryService queries;
  private Supplier<String> state;

  /**
   * Binds the port; {@link #serve} starts answering. Binding first lets an instance configured
   * with port 0 advertise the port it actually got as its {@code application.server}.
   *
   * @param bindHost interface to listen on, e.g. 127.0.0.1
   * @param port port, or 0 for any free one (see {@link #port()})
   */
  public EngineQueryHttpServer(ObjectMapper json, String bindHost, int port) throws IOException {
    this.json = json;
    this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "engine-query-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
  }

  /**
   * Starts answering queries.
   *
   * @param state supplies the application's state for {@code /health}
   */
  public void serve(EngineQueryService engineQueries, Supplier<String> applicationState) {
    this.queries = engineQueries;
    this.state = applicationState;
    server.createContext("/engines", this::engines);
    server.createContext("/health", this::health);
    server.start();
  }

  /**
   * Serves {@code handler} under {@code path} on the same port as the queries, e.g. a dashboard or
   * metrics page of the application that owns this server. Every route goes through the same access
   * rules as the query endpoints.
   */
  public void route(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      send(exchange, 405, Map.of("error", "only GET is supported"));
      return;
    }
    String current = state.get();
    send(exchange, current.equals("RUNNING") ? 200 : 503, Map.of("state", current));
  }

  private void engines(HttpExchange exchange) throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, Map.of("error", "only GET is supported"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      boolean local = "local=true".equals(exchange.getRequestURI().getQuery());
      if (path.equals("/engines") || path.equals("/engines/")) {
        send(exchange, 200, local ? queries.localEngines() : queries.allEngines());
        return;
      }
      String id = URLDecoder.decode(path.substring("/engines/".length()), StandardCharsets.UTF_8);
      if (id.isEmpty() || id.contains("/")) {
        send(exchange, 404, Map.of("error", "no such resource: " + path));
        return;
      }
      var view = local ? queries.localEngine(id) : queries.engine(id);
      if (view.isPresent()) {
        send(exchange, 200, view.get());
      } else {
        send(exchange, 404, Map.of("error", "unknown engine: " + id));
      }
    } catch (QueryNotReadyException e) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      send(exchange, 503, Map.of("error", e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("query {} failed", exchange.getRequestURI(), e);
      send(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
