package io.synergysched.cli;

import io.synergysched.runtime.config.ConfigLoader;
import io.synergysched.runtime.config.KafkaClientSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Kafka client settings of a command that talks to a cluster (security above all): a properties
 * file as for Kafka's own tools ({@code --kafka-config}, like their {@code --command-config}), then
 * {@code SYNERGY_KAFKA_*} environment variables, then {@code --kafka KEY=VALUE} options, each later
 * source winning; checked by {@link KafkaClientSettings}.
 */
final class KafkaClientOptions {

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties file (security.protocol, ssl.*, sasl.*, ...)")
  Path file;

  @Option(names = "--kafka", paramLabel = "KEY=VALUE",
      description = "a Kafka client setting, e.g. security.protocol=SASL_SSL (repeatable;"
          + " SYNERGY_KAFKA_* environment variables too)")
  Map<String, String> options = new LinkedHashMap<>();

  /** The settings, keys as the Kafka clients know them. */
  Map<String, String> settings() {
    return settings(System.getenv());
  }

  Map<String, String> settings(Map<String, String> env) {
    Map<String, String> client = new LinkedHashMap<>();
    if (file != null) {
      client.putAll(ConfigLoader.readFile(file));
    }
    ConfigLoader.load(null, env, Map.of(), List.of())
        .forEach((k, v) -> client.put(k.substring(ConfigLoader.KAFKA_PREFIX.length()), v));
    options.forEach((k, v) -> client.put(k.trim(), v.trim()));
    return KafkaClientSettings.validate(client, "");
  }

  /** Client properties: the settings and {@code bootstrap.servers}. */
  Properties properties(String bootstrapServers) {
    Properties props = new Properties();
    props.putAll(settings());
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }
}
