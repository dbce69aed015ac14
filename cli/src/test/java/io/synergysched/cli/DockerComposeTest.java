package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.runtime.config.ConfigLoader;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.SloWindow;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.trainer.dashboard.TrainerMetrics;
import io.synergysched.trainer.ModelTrainerConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the compose file is checked against the code instead: every
 * service runs a real main class, every SYNERGY_* variable is a key that service understands and
 * its value passes the service's validation, ports match the configured ones, and the services
 * wait for healthy dependencies.
 */
class DockerComposeTest {

  private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

  private record Service(List<String> keys, Consumer<Map<String, String>> validate) {}

  private static final Map<String, Service> OURS = Map.of(
      "io.synergysched.trainer.ModelTrainerMain",
      new Service(ModelTrainerConfig.ALL_SETTINGS.keys(), ModelTrainerConfig::fromSettings),
      "io.synergysched.connector.EngineConnectorMain",
      new Service(EngineConnectorConfig.ALL_SETTINGS.keys(), EngineConnectorConfig::fromSettings),
      "io.synergysched.router.RouterConsumerMain",
      new Service(RouterConsumerConfig.ALL_SETTINGS.keys(), RouterConsumerConfig::fromSettings));

  @Test
  void shouldRunRealMainClassesWithKeysTheServicesUnderstand() throws Exception {
    JsonNode services = compose().get("services");
    assertThat(services.fieldNames()).toIterable().contains(
        "kafka", "schema-registry", "model-trainer", "engine-connector", "router-consumer");
    List<String> checked = new ArrayList<>();
    services.fields().forEachRemaining(entry -> {
      JsonNode command = entry.getValue().get("command");
      if (command == null) {
        return;
      }
      String mainClass = command.get(0).asText();
      Service service = OURS.get(mainClass);
      assertThat(service).as("main class of %s", entry.getKey()).isNotNull();
      assertThat(hasMain(mainClass)).as("%s has a main method", mainClass).isTrue();
      Map<String, String> env = new HashMap<>();
      entry.getValue().get("environment").fields()
          .forEachRemaining(e -> env.put(e.getKey(), interpolated(e.getValue().asText())));
      for (String name : env.keySet()) {
        assertThat(name.startsWith("SYNERGY_KAFKA_")
                || service.keys().stream().anyMatch(k -> ConfigLoader.envName(k).equals(name)))
            .as("%s of %s is a key the service reads", name, entry.getKey()).isTrue();
      }
      // the values pass the service's own validation, as at start-up
      service.validate().accept(ConfigLoader.load(null, env, Map.of(), service.keys()));
      checked.add(entry.getKey());
    });
    assertThat(checked).containsExactlyInAnyOrder("model-trainer", "engine-connector", "router-consumer");
  }

  @Test
  void shouldExposeTheConfiguredPortsAndWaitForHealthyDependencies() throws Exception {
    JsonNode services = compose().get("services");
    assertThat(env(services, "model-trainer", "SYNERGY_IQ_PORT")).isEqualTo("7070");
    assertThat(services.get("model-trainer").get("ports").get(0).asText()).endsWith(":7070");
    assertThat(env(services, "router-consumer", "SYNERGY_ROUTER_METRICS_PORT")).isEqualTo("9400");
    assertThat(services.get("router-consumer").get("ports").get(0).asText()).endsWith(":9400");
    String advertised = env(services, "kafka", "KAFKA_ADVERTISED_LISTENERS");
    for (String service : List.of("model-trainer", "engine-connector", "router-consumer")) {
      String bootstrap = env(services, service, "SYNERGY_BOOTSTRAP_SERVERS");
      assertThat(advertised).as("kafka advertises %s", bootstrap).contains("//" + bootstrap);
      services.get(service).get("depends_on").fields().forEachRemaining(dependency -> {
        assertThat(services.has(dependency.getKey())).isTrue();
        assertThat(dependency.getValue().get("condition").asText()).isEqualTo("service_healthy");
        assertThat(services.get(dependency.getKey()).has("healthcheck"))
            .as("%s has a health check", dependency.getKey()).isTrue();
      });
    }
    assertThat(env(services, "router-consumer", "SYNERGY_ROUTER_TRAINER_URL"))
        .isEqualTo("http://model-trainer:7070");
    assertThat(hasMain(HttpHealthCheck.class.getName())).isTrue();
  }

  @Test
  void shouldScrapeEveryAppWithPrometheusAndProvisionGrafanaWithItsDashboards() throws Exception {
    JsonNode services = compose().get("services");
    assertThat(services.fieldNames()).toIterable().contains("prometheus", "grafana");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Path prometheusFile = mounted(services.get("prometheus"), "/etc/prometheus/prometheus.yml");
    JsonNode prometheus = yaml.readTree(prometheusFile.toFile());
    Map<String, String> scraped = new HashMap<>();
    prometheus.get("scrape_configs").forEach(job -> {
      assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
      // the apps want the bearer token; Prometheus reads it from the file its entrypoint writes
      assertThat(job.get("authorization").get("type").asText()).isEqualTo("Bearer");
      assertThat(services.get("prometheus").get("entrypoint").toString())
          .contains(job.get("authorization").get("credentials_file").asText());
      job.get("static_configs").forEach(c -> c.get("targets")
          .forEach(t -> scraped.put(t.asText(), job.get("job_name").asText())));
    });
    // every app with a metrics endpoint is scraped, at the port it is configured with
    assertThat(scraped.keySet()).containsExactlyInAnyOrder(
        "model-trainer:" + env(services, "model-trainer", "SYNERGY_IQ_PORT"),
        "router-consumer:" + env(services, "router-consumer", "SYNERGY_ROUTER_METRICS_PORT"));
    assertThat(env(services, "prometheus", "SYNERGY_HTTP_TOKEN"))
        .isEqualTo(env(services, "model-trainer", "SYNERGY_HTTP_TOKEN"))
        .isEqualTo(env(services, "router-consumer", "SYNERGY_HTTP_TOKEN"));
    Path provisioning = mounted(services.get("grafana"), "/etc/grafana/provisioning");
    JsonNode datasource = yaml.readTree(
        provisioning.resolve("datasources/prometheus.yml").toFile()).get("datasources").get(0);
    assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(services.get("prometheus").get("ports").get(0).asText()).endsWith(":9090");
    String dashboardsPath = yaml.readTree(provisioning.resolve("dashboards/synergysched.yml").toFile())
        .get("providers").get(0).get("options").get("path").asText();
    Path dashboards = mounted(services.get("grafana"), dashboardsPath);
    assertThat(dashboards.toRealPath()).isEqualTo(GrafanaDashboards.FOLDER.toRealPath());
    assertThat(GrafanaDashboards.files()).isNotEmpty();
    String uid = datasource.get("uid").asText();
    for (Path file : GrafanaDashboards.files()) {
      JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
      assertThat(dashboard.get("panels")).as("panels of %s", file).isNotEmpty();
      dashboard.get("panels").forEach(panel -> {
        assertThat(panel.get("datasource").get("uid").asText()).as(panel.get("title").asText())
            .isEqualTo(uid);
        assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      });
    }
  }

  @Test
  void shouldQueryOnlyTrainerMetricsTheTrainerExports() throws Exception {
    // the router's names are checked against a running router in DashboardBrowserIT
    Set<String> trainerNames = GrafanaDashboards.metricNames().stream()
        .filter(n -> n.startsWith("synergy_trainer_")).collect(Collectors.toSet());
    assertThat(trainerNames).isNotEmpty();
    assertThat(GrafanaDashboards.metricNames()).allMatch(
        n -> n.startsWith("synergy_trainer_") || n.startsWith("synergy_router_"));
    try (TrainerMetrics metrics = new TrainerMetrics(() -> 42)) {
      // one of each event, so the meters created on first use exist
      metrics.models(List.of(new EngineSnapshot("e0", null, new EngineSnapshot.ModelSummary(1, "", 10, 512,
          Map.of(), 0.9, 0.05, 12), null, "here", null)));
      metrics.sloWindow(SloWindow.newBuilder().setEngineId("e0").setWindowStartMs(0)
          .setWindowEndMs(10_000).setFinished(10).setTtftMet(9).setTpotMet(9).setBothMet(8)
          .setRejected(0).build());
      metrics.overallAttainment(0.8);
      metrics.deadLetter(DeadLetter.newBuilder().setSourceTopic("synergy.engine.steps")
          .setSourcePartition(0).setSourceOffset(1).setStage("model-trainer/decode-step")
          .setError("bad").setFailedAtMs(1).build());
      metrics.modelSnapshot();
      metrics.hint();
      assertThat(GrafanaDashboards.exported(metrics.scrape())).containsAll(trainerNames);
    }
  }

  /** The repository file or folder mounted at {@code target} in a service. */
  private static Path mounted(JsonNode service, String target) {
    for (JsonNode volume : service.get("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[1].equals(target)) {
        assertThat(parts[0]).startsWith("./");
        Path file = Path.of("..").resolve(parts[0].substring(2));
        assertThat(file).exists();
        return file;
      }
    }
    throw new AssertionError("nothing is mounted at " + target + " in " + service);
  }

  private static JsonNode compose() throws Exception {
    assertThat(COMPOSE).exists();
    return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(COMPOSE));
  }

  private static String env(JsonNode services, String service, String name) {
    JsonNode value = services.get(service).get("environment").get(name);
    assertThat(value).as("%s of %s", name, service).isNotNull();
    return value.asText();
  }

  private static boolean hasMain(String className) {
    try {
      Method main = Class.forName(className).getMethod("main", String[].class);
      return Modifier.isStatic(main.getModifiers());
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** A value as Compose passes it when its {@code ${VAR...}} variables are set (to a sample). */
  private static String interpolated(String value) {
    return value.replaceAll("\\$\\{[A-Z_]+(:\\?[^}]*)?}", "sample-value-0123456789abcdef");
  }
}
