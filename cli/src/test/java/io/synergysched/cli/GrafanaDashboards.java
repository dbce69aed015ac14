package io.synergysched.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards of docker/grafana/dashboards and the metric names their queries use. */
final class GrafanaDashboards {

  static final Path FOLDER = Path.of("..", "docker", "grafana", "dashboards");
  private static final Pattern METRIC = Pattern.compile("\\b(synergy_[a-z0-9_]+)\\b");

  private GrafanaDashboards() {}

  static List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(FOLDER)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Every query ({@code expr}) of every panel of every dashboard. */
  static List<String> expressions() throws IOException {
    List<String> exprs = new java.util.ArrayList<>();
    for (Path file : files()) {
      collect(new ObjectMapper().readTree(file.toFile()), exprs);
    }
    return exprs;
  }

  /** The metric names the queries read. */
  static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions()) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The metric names in a Prometheus exposition text. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static void collect(JsonNode node, List<String> exprs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("expr") && e.getValue().isTextual()) {
          exprs.add(e.getValue().asText());
        } else {
          collect(e.getValue(), exprs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, exprs));
    }
  }
}
