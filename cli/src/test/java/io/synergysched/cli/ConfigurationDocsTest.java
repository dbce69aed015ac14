package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.connector.vllm.VllmConfig;
import io.synergysched.core.lens.LensHintPublishPolicy;
import io.synergysched.core.lens.LensPlannerConfig;
import io.synergysched.core.lens.LensSchedulerConfig;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.runtime.config.ConfigLoader;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.topologies.lens.LensHintTopologyConfig;
import io.synergysched.topologies.telemetry.TelemetryTopologyConfig;
import io.synergysched.trainer.ModelTrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs hold the declarations, in the manner of Flink's ConfigOptionsDocsCompletenessITCase:
 * every documented component's table, between {@code <!-- settings:NAME -->} and {@code <!--
 * /settings -->} (blank lines around it aside), is exactly its {@link Settings#markdownTable()},
 * every key a service reads is in
 * some table, and every environment variable the docs name is spelled by {@link
 * ConfigLoader#envName}'s rule. A failure prints the table to paste.
 */
class ConfigurationDocsTest {

  private static final Path DOCS = Path.of("..", "docs");
  private static final Pattern MARKER = Pattern.compile("<!-- settings:([a-z0-9-]+) -->\n(.*?)<!-- /settings -->",
      Pattern.DOTALL);
  private static final Pattern ENV_NAME = Pattern.compile("SYNERGY_[A-Z0-9_]+");

  private record Documented(String page, String name, Settings settings) {}

  private static final List<Documented> TABLES = List.of(
      new Documented("kafka-services.md", "model-trainer", ModelTrainerConfig.SETTINGS),
      new Documented("kafka-services.md", "engine-connector", EngineConnectorConfig.SETTINGS),
      new Documented("kafka-services.md", "router-consumer", RouterConsumerConfig.SETTINGS),
      new Documented("vllm-adapter.md", "vllm", VllmConfig.SETTINGS),
      new Documented("security.md", "http-access", HttpAccess.SETTINGS),
      new Documented("configuration.md", "step-latency-model", StepLatencyModelConfig.SETTINGS),
      new Documented("configuration.md", "lens-hint-planning", LensHintTopologyConfig.SETTINGS),
      new Documented("configuration.md", "lens-planner", LensPlannerConfig.SETTINGS),
      new Documented("configuration.md", "lens-hint-publishing", LensHintPublishPolicy.SETTINGS),
      new Documented("configuration.md", "lens-scheduler", LensSchedulerConfig.SETTINGS),
      new Documented("configuration.md", "slo-windows", TelemetryTopologyConfig.SETTINGS),
      new Documented("configuration.md", "avro-serdes", AvroSerdeConfig.SETTINGS),
      new Documented("simulator.md", "simulated-engine", EngineConfig.SETTINGS));

  /** What each service's loader accepts (besides {@code kafka.*}). */
  private static final Map<String, Settings> SERVICES = Map.of(
      "model-trainer", ModelTrainerConfig.ALL_SETTINGS,
      "engine-connector", EngineConnectorConfig.ALL_SETTINGS,
      "router-consumer", RouterConsumerConfig.ALL_SETTINGS);

  @Test
  void shouldHoldEachComponentsDeclaredTableBetweenItsMarkers() throws IOException {
    List<String> stale = new ArrayList<>();
    for (Documented table : TABLES) {
      Map<String, String> blocks = blocks(read(table.page()));
      String expected = table.settings().markdownTable();
      String found = blocks.get(table.name());
      if (found == null || !found.strip().equals(expected.strip())) {
        stale.add("docs/" + table.page() + " must hold, for " + table.name() + ":\n\n<!-- settings:"
            + table.name() + " -->\n\n" + expected + "\n<!-- /settings -->\n");
      }
    }
    assertThat(stale).as(String.join("\n", stale)).isEmpty();
  }

  @Test
  void shouldNameOnlyDeclaredComponentsInMarkersAndEachOnce() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> pages = Files.list(DOCS)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        Matcher m = Pattern.compile("<!-- settings:([a-z0-9-]+) -->").matcher(Files.readString(page));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(TABLES.stream().map(Documented::name).toList());
  }

  @Test
  void shouldDocumentEveryKeyAServiceReads() {
    Set<String> documented = new LinkedHashSet<>();
    TABLES.forEach(t -> documented.addAll(t.settings().keys()));
    SERVICES.forEach((service, settings) ->
        assertThat(documented).as("keys %s reads", service).containsAll(settings.keys()));
  }

  @Test
  void shouldDeclareAKeyTheSameWayWhereverTwoComponentsShareIt() {
    Map<String, Setting<?>> byKey = new HashMap<>();
    for (Documented table : TABLES) {
      for (Setting<?> s : table.settings().all()) {
        Setting<?> earlier = byKey.putIfAbsent(s.key(), s);
        assertThat(earlier == null || earlier == s)
            .as("%s is declared in %s and elsewhere: share one declaration", s.key(), table.name()).isTrue();
      }
    }
  }

  @Test
  void shouldSpellEveryDocumentedEnvironmentVariableByTheLoadersRule() throws IOException {
    Set<String> names = new LinkedHashSet<>();
    SERVICES.values().forEach(settings -> settings.keys().forEach(k -> names.add(ConfigLoader.envName(k))));
    List<String> texts = new ArrayList<>();
    try (Stream<Path> pages = Files.list(DOCS)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
        texts.add(Files.readString(page));
      }
    }
    texts.add(Files.readString(Path.of("..", "README.md")));
    for (String text : texts) {
      Matcher m = ENV_NAME.matcher(text);
      while (m.find()) {
        String name = m.group();
        assertThat(name.startsWith("SYNERGY_KAFKA_") || names.contains(name))
            .as("%s is the environment variable of a key a service reads", name).isTrue();
      }
    }
    // the rule itself, with the examples the page gives
    String services = read("kafka-services.md");
    assertThat(services).contains("`" + ConfigLoader.envName("bootstrap.servers") + "`",
        "`" + ConfigLoader.envName("synergy.iq.port") + "`", "`SYNERGY_KAFKA_<NAME>`",
        "upper-cased with dots and dashes as");
    assertThat(ConfigLoader.envName("synergy.iq.port")).isEqualTo("SYNERGY_IQ_PORT");
    assertThat(ConfigLoader.envName("bootstrap.servers")).isEqualTo("SYNERGY_BOOTSTRAP_SERVERS");
  }

  @Test
  void shouldCatchAStaleTableWhenADeclarationChanges() {
    String page = "<!-- settings:x -->\n" + Settings.of(Setting.flag("x.on", true, "on")).markdownTable()
        + "<!-- /settings -->\n";
    assertThat(blocks(page).get("x").strip()).isEqualTo(Settings.of(Setting.flag("x.on", true, "on")).markdownTable().strip())
        .isNotEqualTo(Settings.of(Setting.flag("x.on", false, "on")).markdownTable().strip());
  }

  private static Map<String, String> blocks(String page) {
    Map<String, String> blocks = new HashMap<>();
    Matcher m = MARKER.matcher(page);
    while (m.find()) {
      blocks.put(m.group(1), m.group(2));
    }
    return blocks;
  }

  private static String read(String page) throws IOException {
    return Files.readString(DOCS.resolve(page));
  }
}
