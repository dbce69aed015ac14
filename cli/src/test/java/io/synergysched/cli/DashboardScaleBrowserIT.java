package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.testsupport.KafkaClusterExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard with 64 engines in a real browser: the demo's services (model-trainer,
 * round-robin router, one engine-connector with 64 simulated H100 engines, about 16 short requests
 * per second, so every engine steps a few times and closes SLO windows) on an embedded broker, and
 * headless chromium ({@code src/test/browser/dashboard-scale.mjs}). Every one of the 64 rows shows
 * what came over server-sent events for its engine; the page's cost per update is measured in the
 * browser and written to {@code target/dashboard-64.json} with a screenshot
 * ({@code target/dashboard-64.png}). No limit is asserted on the figures: the machine is shared.
 *
 * <p>{@code -Ddashboard.baseline=FILE} (another version of {@code dashboard.js}) also runs the page
 * with that script in a second tab on the same stream: a before/after comparison in one run.
 */
@Timeout(300) // a hang guard, not a speed assertion
class DashboardScaleBrowserIT {

  private static final int ENGINES = 64;
  private static final int MEASURE_SECONDS = 10;

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldShowSixtyFourLiveEnginesAndMeasureThePage() throws Exception {
    List<String> command = new ArrayList<>(BrowserTests.nodeCommand());
    Path screenshot = BrowserTests.output("dashboard-64.png");
    Path report = BrowserTests.output("dashboard-64.json");
    BrowserTests.provisionTopics(KAFKA);
    // about 16 requests per second of short answers for 40 s: each engine one every 4 s or so
    DemoRun run = new DemoRun(new DemoRun.Settings(KAFKA.bootstrapServers(), null, "scale",
        "round-robin", "h100:llama-2-7b:tp1*" + ENGINES, BrowserTests.trace(40, 30, 60, 20, 60),
        1000, 100, 40_000, 5_000, dir.resolve("state"), Map.of(), HttpAccess.randomToken(), 0,
        "vllm-default"), System.out);
    Thread player = new Thread(() -> {
      try {
        run.play(System.out, false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "scale-it-demo");
    JsonNode result = null;
    try {
      player.start();
      List<String> engines = new ArrayList<>(new TreeSet<>(run.engineIds()));
      assertThat(engines).hasSize(ENGINES);
      command.addAll(List.of("dashboard-scale.mjs", run.dashboardUrl(), screenshot.toString(),
          Integer.toString(ENGINES), Integer.toString(MEASURE_SECONDS)));
      String baseline = System.getProperty("dashboard.baseline", "");
      if (!baseline.isBlank()) {
        command.add(Path.of(baseline).toAbsolutePath().toString());
      }
      Process browser = new ProcessBuilder(command).directory(BrowserTests.BROWSER_TEST.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          System.out.println("browser: " + (line.length() > 300 ? line.substring(0, 300) + "..." : line));
          if (line.startsWith("RESULT ")) {
            result = new ObjectMapper().readTree(line.substring("RESULT ".length()));
          }
        }
      }
      assertThat(browser.waitFor(60, TimeUnit.SECONDS)).as("the browser test ends").isTrue();
      assertThat(browser.exitValue()).as("the browser test's exit code (its error is above)")
          .isZero();
      assertThat(result).as("what the page showed").isNotNull();

      List<String> shown = new ArrayList<>();
      for (JsonNode row : result.get("rows")) {
        String id = row.get("id").asText();
        shown.add(id);
        JsonNode sse = BrowserTests.assertLiveRow(row);
        assertThat(row.get("sloText").asText()).as("%s SLO shown", id)
            .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * sse.get("lastSlo").asDouble()));
        assertThat(row.get("predictedPolylinePoints").asInt()).isEqualTo(sse.get("steps").asInt());
      }
      assertThat(shown).as("one row per engine, in order").containsExactlyElementsOf(engines);

      ObjectNode figures = ((ObjectNode) result.deepCopy()).without("rows");
      for (JsonNode tab : figures.get("tabs")) {
        JsonNode f = tab.get("figures");
        assertThat(tab.get("status").asText()).isEqualTo("live");
        assertThat(f.get("applyMs").get("n").asInt()).as("updates measured").isPositive();
        assertThat(f.get("deltaBytes").get("p50").asInt()).as("delta size").isPositive();
        assertThat(f.get("heapUsedMb").asDouble()).as("JS heap").isPositive();
      }
      Files.writeString(report, new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(figures));
      assertThat(screenshot).isNotEmptyFile();
      System.out.println("dashboard at " + ENGINES + " engines, figures: " + report);
      System.out.println("dashboard at " + ENGINES + " engines, screenshot: " + screenshot);
    } finally {
      player.interrupt();
      player.join(TimeUnit.SECONDS.toMillis(30));
      run.close();
    }
  }
}
