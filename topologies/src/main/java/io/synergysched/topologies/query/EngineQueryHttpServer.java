package io.synergysched.topologies.query;

import io.synergysched.runtime.query.QueryNotReadyException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.http.HttpAccessFilter;
import io.synergysched.runtime.http.HttpEndpoints;
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
 * Answers 404 for an unknown engine or path, 405 for other methods, 400 for a bad query parameter
 * or an engine id longer than {@value #MAX_ENGINE_ID_LENGTH} characters, 503 with {@code
 * Retry-After} while the stores are not queryable (starting, rebalancing, a peer down).
 *
 * <p>Every route, those of {@link #route} too, sits behind an {@link HttpAccessFilter}: request
 * limits and, unless disabled, bearer-token authentication.
 */
public final class EngineQueryHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EngineQueryHttpServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  /** Longest engine id a query may name. */
  public static final int MAX_ENGINE_ID_LENGTH = 256;

  private final ObjectMapper json;
  private final HttpAccess access;
  private EngineQueryService queries;
  private Supplier<String> state;

  /**
   * Binds the port; {@link #serve} starts answering. Binding first lets an instance configured
   * with port 0 advertise the port it actually got as its {@code application.server}.
   *
   * @param bindHost interface to listen on, e.g. 127.0.0.1
   * @param port port, or 0 for any free one (see {@link #port()})
   * @param access who may call (see {@link HttpAccess})
   */
  public EngineQueryHttpServer(ObjectMapper json, String bindHost, int port, HttpAccess access)
      throws IOException {
    this.json = json;
    this.access = access;
    this.server = HttpEndpoints.server(new InetSocketAddress(bindHost, port), 64, access);
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
    route("/engines", this::engines);
    route("/health", this::health);
    HttpAccessFilter.warnIfOpen(access, "the query API on port " + port());
    server.start();
  }

  /**
   * Serves {@code handler} under {@code path} on the same port as the queries, e.g. a dashboard or
   * metrics page of the application that owns this server. Every route goes through the same access
   * rules as the query endpoints.
   */
  public void route(String path, HttpHandler handler) {
    HttpAccessFilter.protect(server.createContext(path, handler), access);
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
      Map<String, String> params;
      try {
        params = HttpAccessFilter.queryParameters(exchange.getRequestURI());
      } catch (IllegalArgumentException e) {
        send(exchange, 400, Map.of("error", "malformed query string"));
        return;
      }
      String localText = params.getOrDefault("local", "false");
      if (!localText.equals("true") && !localText.equals("false")) {
        send(exchange, 400, Map.of("error", "local must be true or false"));
        return;
      }
      for (String name : params.keySet()) {
        if (!name.equals("local") && !name.equals(HttpAccessFilter.TOKEN_PARAMETER)) {
          send(exchange, 400, Map.of("error", "unknown query parameter"));
          return;
        }
      }
      boolean local = localText.equals("true");
      if (path.equals("/engines") || path.equals("/engines/")) {
        send(exchange, 200, local ? queries.localEngines() : queries.allEngines());
        return;
      }
      String id;
      try {
        id = URLDecoder.decode(path.substring("/engines/".length()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        send(exchange, 400, Map.of("error", "malformed engine id in path: " + e.getMessage()));
        return;
      }
      if (id.isEmpty() || id.contains("/")) {
        send(exchange, 404, Map.of("error", "no such resource"));
        return;
      }
      if (id.length() > MAX_ENGINE_ID_LENGTH || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        send(exchange, 400, Map.of("error", "engine id longer than " + MAX_ENGINE_ID_LENGTH
            + " characters or with control characters"));
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
      // the path only: a query string may hold the access token
      LOG.warn("query {} failed", exchange.getRequestURI().getPath(), e);
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
