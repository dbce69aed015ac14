package io.synergysched.trainer.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.SloWindow;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.topologies.query.EngineQueryHttpServer;
import io.synergysched.topologies.query.EngineQueryService;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.query.QueryNotReadyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model-trainer's live dashboard and Prometheus metrics, on the query port:
 *
 * <ul>
 *   <li>{@code GET /dashboard/}: the page (static assets from this jar, no CDN);
 *   <li>{@code GET /dashboard/events}: server-sent events, a {@code snapshot} on connect, then one
 *       {@code delta} per second;
 *   <li>{@code GET /dashboard/state}: the snapshot as JSON;
 *   <li>{@code GET /metrics}: Prometheus exposition ({@link TrainerMetrics}).
 * </ul>
 *
 * One thread of its own owns the {@link DashboardState}: it applies the Kafka feed's batches, samples
 * the interactive queries once per second, and writes the events to every open stream. An event
 * stream holds no thread of the query server's pool: its handler sends the headers, hands the
 * stream to the dashboard thread and returns, so queries are never starved by open dashboards.
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  /** Path of the page on the query port. */
  public static final String PATH = "/dashboard/";
  private static final String ASSETS = "/io/synergysched/trainer/dashboard/static/";
  private static final Pattern ASSET = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css|svg)");
  private static final Duration HISTORY = Duration.ofMinutes(10);

  private final ObjectMapper json;
  private final EngineQueryService queries;
  private final LongSupplier processed;
  private final DashboardState state = new DashboardState();
  private final TrainerMetrics metrics;
  private final ScheduledExecutorService thread;
  private final List<HttpExchange> streams = new ArrayList<>();
  private final DashboardFeed feed;
  private final byte[] page = page();
  private long lastProcessed = -1;
  private long lastTickMs;

  private Dashboard(ObjectMapper json, EngineQueryHttpServer http, EngineQueryService queries,
      LongSupplier processedRecords, Properties kafkaClient, SchemaRegistryClient registry) {
    this.json = json;
    this.queries = queries;
    this.processed = processedRecords;
    this.metrics = new TrainerMetrics(processedRecords);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "synergy-dashboard");
      t.setDaemon(true);
      return t;
    });
    http.route("/metrics", this::metricsPage);
    http.route("/dashboard", this::dashboard);
    feed = new DashboardFeed(kafkaClient, registry, HISTORY,
        batch -> thread.execute(() -> batch.forEach(this::apply)));
    thread.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Serves the dashboard and {@code /metrics} on {@code http} and starts following the cluster.
   *
   * @param processedRecords records this instance's stream threads processed since start
   * @param kafkaClient Kafka client settings (bootstrap servers, security)
   * @param registry schema registry, or null for single-object encoding
   */
  public static Dashboard start(ObjectMapper json, EngineQueryHttpServer http,
      EngineQueryService queries, LongSupplier processedRecords, Properties kafkaClient,
      SchemaRegistryClient registry) {
    return new Dashboard(json, http, queries, processedRecords, kafkaClient, registry);
  }

  /** The metrics, e.g. for a test or an embedding application. */
  public TrainerMetrics metrics() {
    return metrics;
  }

  private void apply(DashboardFeed.Event e) {
    String topic = e.topic();
    if (topic.equals(Topics.ROUTING_DECISIONS.name())) {
      state.decision((RoutingDecision) e.value());
    } else if (topic.equals(Topics.SLO_WINDOWS.name())) {
      state.sloWindow((SloWindow) e.value());
      metrics.sloWindow((SloWindow) e.value());
      metrics.overallAttainment(state.latestOverallAttainment());
    } else if (topic.equals(Topics.DEAD_LETTERS.name())) {
      state.deadLetter((DeadLetter) e.value());
      metrics.deadLetter((DeadLetter) e.value());
    } else if (topic.equals(Topics.CONTROL_LENS.name()) && e.key() != null) {
      state.hint(e.key(), (LensHint) e.value());
      metrics.hint();
    } else if (topic.equals(Topics.MODELS.name())) {
      state.modelSnapshot();
      metrics.modelSnapshot();
    }
  }

  /** Once per second on the dashboard thread: sample, then send the delta to every stream. */
  private void tick() {
    try {
      long now = System.currentTimeMillis();
      long count = processed.getAsLong();
      if (lastProcessed >= 0 && now > lastTickMs) {
        state.ingestRate((count - lastProcessed) * 1000.0 / (now - lastTickMs));
      }
      lastProcessed = count;
      lastTickMs = now;
      try {
        List<EngineSnapshot> views = queries.allEngines();
        state.sample(now, views);
        metrics.models(views);
      } catch (QueryNotReadyException e) {
        state.notQueryable();
      }
      if (streams.isEmpty()) {
        state.clearChanges();
        return;
      }
      byte[] event = event("delta", state.delta(now));
      for (Iterator<HttpExchange> it = streams.iterator(); it.hasNext(); ) {
        HttpExchange stream = it.next();
        if (!write(stream, event)) {
          it.remove();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("dashboard tick failed", e);
    }
  }

  private void dashboard(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      text(exchange, 405, "text/plain", "only GET is supported");
      return;
    }
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/dashboard")) {
      exchange.getResponseHeaders().set("Location", PATH
          + (exchange.getRequestURI().getRawQuery() == null ? ""
              : "?" + exchange.getRequestURI().getRawQuery()));
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    } else if (path.equals("/dashboard/events")) {
      openStream(exchange);
    } else if (path.equals("/dashboard/state")) {
      byte[] body = onThread(() -> json.writeValueAsBytes(state.snapshot(System.currentTimeMillis())));
      send(exchange, 200, "application/json", body);
    } else if (path.equals(PATH)) {
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      send(exchange, 200, contentType("index.html"), page);
    } else {
      String name = path.substring(PATH.length());
      InputStream in = ASSET.matcher(name).matches()
          ? Dashboard.class.getResourceAsStream(ASSETS + name) : null;
      if (in == null) {
        text(exchange, 404, "text/plain", "no such resource: " + path);
        return;
      }
      try (in) {
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, 200, contentType(name), in.readAllBytes());
      }
    }
  }

  /**
   * The page with its script and style inlined: one request, so a token in the page's query string
   * is all a browser needs (it would not send it with the page's own asset requests).
   */
  private static byte[] page() {
    String html = asset("index.html");
    html = html.replace("<link rel=\"stylesheet\" href=\"dashboard.css\">",
        "<style>\n" + asset("dashboard.css") + "</style>");
    html = html.replace("<script src=\"dashboard.js\"></script>",
        "<script>\n" + asset("dashboard.js") + "</script>");
    return html.getBytes(StandardCharsets.UTF_8);
  }

  private static String asset(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream(ASSETS + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read dashboard asset " + name, e);
    }
  }

  /** Sends the headers and the snapshot, then leaves the stream to the dashboard thread. */
  private void openStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    thread.execute(() -> {
      byte[] first;
      try {
        first = concat("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII),
            event("snapshot", state.snapshot(System.currentTimeMillis())));
      } catch (RuntimeException e) {
        LOG.warn("dashboard snapshot failed", e);
        exchange.close();
        return;
      }
      if (write(exchange, first)) {
        streams.add(exchange);
      }
    });
  }

  private byte[] event(String name, Map<String, Object> data) {
    try {
      return concat(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII),
          json.writeValueAsBytes(data), "\n\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the dashboard's " + name, e);
    }
  }

  private static boolean write(HttpExchange stream, byte[] bytes) {
    try {
      OutputStream out = stream.getResponseBody();
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      stream.close();
      return false;
    }
  }

  private void metricsPage(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      text(exchange, 405, "text/plain", "only GET is supported");
      return;
    }
    text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }

  private interface Work<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} on the dashboard thread (the state's owner) and waits for it. */
  private <T> T onThread(Work<T> work) throws IOException {
    try {
      return thread.submit(work::run).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the dashboard is busy", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "image/svg+xml";
  }

  private static void text(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Override
  public void close() {
    feed.close();
    try {
      thread.submit(() -> {
        streams.forEach(HttpExchange::close);
        streams.clear();
      }).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("dashboard streams not closed cleanly", e);
    }
    thread.shutdownNow();
    metrics.close();
  }
}
