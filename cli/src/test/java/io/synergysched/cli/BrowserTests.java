package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.topologies.TopicProvisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** What the dashboard's browser tests share: the node scripts' place, and what they need. */
final class BrowserTests {

  /** The node scripts and their {@code node_modules}. */
  static final Path BROWSER_TEST = Path.of("src", "test", "browser");

  private BrowserTests() {}

  /** {@code target/NAME}, absolute, with what an earlier run left there removed. */
  static Path output(String name) throws IOException {
    Path path = Path.of("target", name).toAbsolutePath();
    Files.deleteIfExists(path);
    return path;
  }

  /** The cluster's topics on the test's broker. */
  static void provisionTopics(KafkaClusterExtension kafka) throws Exception {
    try (Admin admin = kafka.admin()) {
      TopicProvisioner.ensureTopics(admin, 4, (short) 1);
    }
  }

  /**
   * One engine row the page showed, as the scripts report it: it got live data over SSE (step
   * samples, a measured step and its prediction, routed requests, SLO windows) and its chart has a
   * point per sample. Returns the sample the SSE brought, for more checks.
   */
  static JsonNode assertLiveRow(JsonNode row) {
    String id = row.get("id").asText();
    JsonNode sse = row.get("sse");
    assertThat(sse.get("steps").asInt()).as("%s step samples", id).isGreaterThanOrEqualTo(3);
    assertThat(sse.get("lastMeasuredMs").asDouble()).as("%s measured step", id).isPositive();
    assertThat(sse.get("lastPredictedMs").asDouble()).as("%s predicted step", id).isPositive();
    assertThat(sse.get("routed").asLong()).as("%s requests routed", id).isPositive();
    assertThat(sse.get("slo").asInt()).as("%s SLO windows", id).isPositive();
    assertThat(row.get("measuredPolylinePoints").asInt()).as("%s chart points", id)
        .isEqualTo(sse.get("steps").asInt());
    return sse;
  }

  /** {@code node}, or a failure naming what is missing. */
  static List<String> nodeCommand() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    assertThat(Files.isExecutable(chromium))
        .as("Debian's chromium at %s (apt-get install -y chromium; ./test.sh installs it)", chromium)
        .isTrue();
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      assertThat(version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0)
          .as("node --version").isTrue();
    } catch (IOException e) {
      throw new AssertionError("node is not on the PATH (Node.js 18 or newer runs the browser test)", e);
    }
    assertThat(BROWSER_TEST.resolve("node_modules").resolve("playwright-core"))
        .as("playwright-core: run `npm ci` in cli/src/test/browser (./test.sh does)").isDirectory();
    return List.of("node");
  }

  /**
   * Requests arriving every {@code minGapMs} to {@code minGapMs + gapSpreadMs} for {@code seconds},
   * prompts of 200 to 1000 tokens, answers of {@code minOutput} to {@code minOutput + outputSpread}.
   */
  static List<TraceRequest> trace(int seconds, int minGapMs, int gapSpreadMs, int minOutput,
      int outputSpread) {
    Random random = new Random(10);
    List<TraceRequest> trace = new ArrayList<>();
    for (double t = 0; t < seconds * 1000.0; t += minGapMs + random.nextInt(gapSpreadMs)) {
      trace.add(new TraceRequest(t, 200 + random.nextInt(800), minOutput + random.nextInt(outputSpread),
          1000, 100, "s" + trace.size(), new long[0]));
    }
    return trace;
  }
}
