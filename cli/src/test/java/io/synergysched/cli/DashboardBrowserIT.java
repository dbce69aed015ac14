package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.schemas.BudgetPoint;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.testsupport.KafkaClusterExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in a real browser: the demo's services (model-trainer, PRISM router,
 * engine-connector with two simulated engines) on an embedded broker, with HTTP authentication on
 * (the page gets the token in its address), Debian's chromium driven
 * headless by playwright-core ({@code src/test/browser/dashboard-test.mjs}). The page loads, its
 * charts and table fill with what came over server-sent events, a screenshot is saved under
 * {@code target/}, and once the services stop the page says the backend is unreachable. On the way,
 * the Grafana dashboards' metric names are checked against what the running apps export.
 *
 * <p>Needs {@code chromium} (or {@code $CHROMIUM}), {@code node} and {@code npm ci} in
 * {@code src/test/browser}; {@code ./test.sh} provides them. A missing piece fails the test naming it.
 */
@Timeout(300) // a hang guard, not a speed assertion
class DashboardBrowserIT {

  private static final String ENGINES = "h100:llama-2-7b:tp1*2";

  private static final String TOKEN = HttpAccess.randomToken();

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldShowLiveDataInABrowserAndSayWhenTheBackendIsGone() throws Exception {
    List<String> node = BrowserTests.nodeCommand();
    Path screenshot = BrowserTests.output("dashboard-live.png");
    Path unreachableShot = BrowserTests.output("dashboard-unreachable.png");
    BrowserTests.provisionTopics(KAFKA);
    DemoRun run = new DemoRun(new DemoRun.Settings(KAFKA.bootstrapServers(), null, "browser",
        "prism", ENGINES, trace(25), 1000, 100, 25_000, 20_000, dir.resolve("state"), Map.of(),
        TOKEN, 0, "vllm-default"), System.out);
    AtomicReference<Throwable> playFailure = new AtomicReference<>();
    Thread player = new Thread(() -> {
      try {
        run.play(System.out, false);
      } catch (Throwable t) {
        playFailure.set(t);
      }
    }, "browser-it-demo");
    JsonNode result = null;
    String unreachable = null;
    boolean closed = false;
    try {
      player.start();
      List<String> engines = new ArrayList<>(new TreeSet<>(run.engineIds()));
      publishHintAndGarbage(engines.get(0));

      List<String> command = new ArrayList<>(node);
      command.addAll(List.of("dashboard-test.mjs", run.dashboardUrl(), screenshot.toString(),
          unreachableShot.toString(), Integer.toString(engines.size())));
      Process browser = new ProcessBuilder(command).directory(BrowserTests.BROWSER_TEST.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(
              new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
          Writer in = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          System.out.println("browser: " + (line.length() > 300 ? line.substring(0, 300) + "..." : line));
          if (line.startsWith("RESULT ")) {
            result = new ObjectMapper().readTree(line.substring("RESULT ".length()));
          } else if (line.startsWith("UNREACHABLE ")) {
            unreachable = line.substring("UNREACHABLE ".length());
          } else if (line.equals("STOP_BACKEND")) {
            assertGrafanaMetricsExported(run);
            player.join(TimeUnit.SECONDS.toMillis(120));
            run.close();
            closed = true;
            in.write("stopped\n");
            in.flush();
          }
        }
      }
      assertThat(browser.waitFor(60, TimeUnit.SECONDS)).as("the browser test ends").isTrue();
      assertThat(browser.exitValue()).as("the browser test's exit code (its error is above)")
          .isZero();

      assertThat(playFailure.get()).as("the demo ran").isNull();
      assertThat(result).as("what the page showed").isNotNull();
      assertThat(result.get("snapshots").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(result.get("deltas").asInt()).isGreaterThanOrEqualTo(3);
      assertThat(result.get("status").asText()).isEqualTo("live");
      assertThat(result.get("sloChartPoints").asInt()).as("cluster SLO chart points").isPositive();
      assertThat(result.get("routedChartPoints").asInt()).isPositive();
      assertThat(result.get("decisionRows").asInt()).as("last decisions with reasons").isPositive();
      assertThat(result.get("deadLetters").toString()).as("the garbage step is counted")
          .contains(Topics.ENGINE_STEPS.name());
      List<String> shown = new ArrayList<>();
      for (JsonNode row : result.get("rows")) {
        String id = row.get("id").asText();
        shown.add(id);
        JsonNode sse = BrowserTests.assertLiveRow(row);
        assertThat(sse.get("modelError").asDouble()).as("%s model error", id).isBetween(0.0, 0.5);
        if (sse.get("hint").isNull()) {
          assertThat(row.get("hintText").asText()).isEqualTo("no hint yet");
        } else {
          assertThat(row.get("hintText").asText())
              .startsWith("v" + sse.get("hint").get("version").asLong());
        }
      }
      assertThat(shown).containsExactlyElementsOf(engines);
      assertThat(result.get("rows").get(0).get("sse").get("hint").isNull())
          .as("the hint published for %s reached the page", engines.get(0)).isFalse();
      assertThat(unreachable).as("the page's message once the backend stopped")
          .contains("Backend unreachable");
      assertThat(screenshot).isNotEmptyFile();
      assertThat(unreachableShot).isNotEmptyFile();
      System.out.println("dashboard screenshot (live): " + screenshot);
      System.out.println("dashboard screenshot (backend stopped): " + unreachableShot);
    } finally {
      if (!closed) {
        player.interrupt();
        run.close();
      }
    }
  }

  /** Every metric the Grafana dashboards query is exported by the running trainer or router. */
  private static void assertGrafanaMetricsExported(DemoRun run) throws Exception {
    String trainerUrl = run.trainerUrl() + "/metrics";
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/metrics", "/dashboard/", "/dashboard/events")) {
      assertThat(http.send(HttpRequest.newBuilder(URI.create(run.trainerUrl() + path)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode())
          .as("GET %s without the token", path).isEqualTo(401);
    }
    HttpResponse<String> trainer = http.send(HttpRequest.newBuilder(URI.create(trainerUrl))
            .header("Authorization", "Bearer " + TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(trainer.statusCode()).as("GET %s", trainerUrl).isEqualTo(200);
    Set<String> exported = new TreeSet<>(GrafanaDashboards.exported(trainer.body()));
    exported.addAll(GrafanaDashboards.exported(run.router().scrapeMetrics()));
    Set<String> used = GrafanaDashboards.metricNames();
    assertThat(used).as("metrics the Grafana dashboards query").isNotEmpty();
    assertThat(exported).as("metrics the apps export").containsAll(used);
  }

  private static void publishHintAndGarbage(String engine) throws IOException {
    java.util.Properties props = KAFKA.clientProperties();
    LensHint hint = LensHint.newBuilder()
        .setEngineId(engine).setHintVersion(7).setModelVersion(1)
        .setIssuedAtMs(System.currentTimeMillis()).setValidUntilMs(System.currentTimeMillis() + 60_000)
        .setTpotTargetMs(100).setTpotMarginMs(10)
        .setBudgetCurve(List.of(new BudgetPoint(1, 0, 2048), new BudgetPoint(64, 0, 512)))
        .setMaxNumSeqs(64).setChunkSizeTokens(512).setKvAdmissionWatermark(0.9)
        .setPriorityPolicy("fcfs").build();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.CONTROL_LENS.name(), engine,
          new AvroRecordCodec<>(LensHint.class, (SchemaRegistryClient) null)
              .encode(Topics.CONTROL_LENS.name() + "-value", hint)));
      producer.send(new ProducerRecord<>(Topics.ENGINE_STEPS.name(), engine,
          "not a step".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
  }

  /** About six requests per second of chat-sized prompts and answers: both engines busy. */
  private static List<TraceRequest> trace(int seconds) {
    return BrowserTests.trace(seconds, 80, 170, 60, 200);
  }
}
