package io.synergysched.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a component's settings: a properties file, then environment overrides, then explicit
 * overrides (command-line flags), each later source winning.
 *
 * <p>A key's environment variable is the key upper-cased with dots and dashes as underscores,
 * prefixed by {@code SYNERGY_} unless the key already starts with {@code synergy.}: {@code
 * bootstrap.servers} is {@code SYNERGY_BOOTSTRAP_SERVERS}, {@code synergy.iq.port} is {@code
 * SYNERGY_IQ_PORT}. Keys starting with {@code kafka.} pass through to the Kafka clients with the
 * prefix removed; any other key a component does not know fails fast, naming it.
 *
 * <p>Kafka client settings from the environment: every variable {@code SYNERGY_KAFKA_<NAME>} is the
 * key {@code kafka.<name>}, {@code <NAME>} lower-cased with underscores as dots ({@code
 * SYNERGY_KAFKA_SECURITY_PROTOCOL} is {@code kafka.security.protocol}, {@code
 * SYNERGY_KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}, {@code
 * SYNERGY_KAFKA_SSL_TRUSTSTORE_LOCATION} is {@code kafka.ssl.truststore.location}). Kafka's client
 * keys hold no underscores, so the mapping is exact. {@link KafkaClientSettings} checks the
 * security settings; {@link Secrets} keeps their secret values out of dumps.
 */
public final class ConfigLoader {

  /** Prefix of keys handed to the Kafka clients as they are (minus the prefix). */
  public static final String KAFKA_PREFIX = "kafka.";

  private ConfigLoader() {}

  /**
   * @param file properties file, or null for none
   * @param env the environment (usually {@code System.getenv()})
   * @param overrides explicit settings that win over everything
   * @param knownKeys the keys the component understands
   * @throws IllegalArgumentException naming an unknown key or an unreadable file
   */
  public static Map<String, String> load(
      Path file, Map<String, String> env, Map<String, String> overrides,
      Collection<String> knownKeys) {
    Map<String, String> settings = new TreeMap<>();
    if (file != null) {
      settings.putAll(readFile(file));
    }
    for (String key : knownKeys) {
      String value = env.get(envName(key));
      if (value != null) {
        settings.put(key, value.trim());
      }
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith("SYNERGY_KAFKA_")) {
            String key =
                KAFKA_PREFIX
                    + name.substring("SYNERGY_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            settings.put(key, value.trim());
          }
        });
    settings.putAll(overrides);
    for (String key : settings.keySet()) {
      if (!key.startsWith(KAFKA_PREFIX) && !knownKeys.contains(key)) {
        throw new IllegalArgumentException(
            "unknown configuration key '" + key + "'" + (file == null ? "" : " (in " + file + ")")
                + "; known keys: " + String.join(", ", new TreeSet<>(knownKeys))
                + "; Kafka client settings go under '" + KAFKA_PREFIX + "'");
      }
    }
    return settings;
  }

  /**
   * Reads a service's command line, {@code [--config FILE] [key=value ...]}, then loads as
   * {@link #load} does (the file, the environment, then the arguments).
   *
   * @throws IllegalArgumentException for an argument of another shape, naming it, or as {@link #load}
   */
  public static Map<String, String> fromCommandLine(
      String[] args, Map<String, String> env, Collection<String> knownKeys) {
    Path file = null;
    Map<String, String> overrides = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].indexOf('=') > 0) {
        int eq = args[i].indexOf('=');
        overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      } else {
        throw new IllegalArgumentException(
            "unexpected argument '" + args[i] + "'; usage: [--config FILE] [key=value ...]");
      }
    }
    return load(file, env, overrides, knownKeys);
  }

  /**
   * The settings of a properties file, values trimmed.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read
   */
  public static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
    }
    Map<String, String> settings = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k).trim()));
    return settings;
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    String upper = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    return upper.startsWith("SYNERGY_") ? upper : "SYNERGY_" + upper;
  }
}
