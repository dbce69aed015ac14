package io.synergysched.runtime.config;

import io.synergysched.core.setting.Setting;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka client settings of a component: every {@code kafka.*} setting with the prefix removed,
 * handed as they are to each client the component creates (producers, consumers, admin clients,
 * Kafka Streams). Kafka's standard security settings ({@code security.protocol}, {@code ssl.*},
 * {@code sasl.*}) go this way, e.g. {@code kafka.security.protocol=SASL_SSL} in a config file,
 * {@code SYNERGY_KAFKA_SASL_JAAS_CONFIG} in the environment.
 *
 * <p>The security settings are checked before any client starts, and a bad one fails naming its
 * key (never printing a secret value): an unknown {@code security.protocol}, a keystore or
 * truststore file that is not there, an unknown store type, SASL PLAIN/SCRAM without a JAAS
 * configuration, {@code ssl.*} or {@code sasl.*} settings that the protocol would silently ignore.
 */
public final class KafkaClientSettings {

  /** The Kafka cluster every service connects to. */
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("bootstrap.servers", null,
      "Kafka cluster: host:port pairs, comma-separated").required();

  /** The protocols Kafka clients speak. */
  public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  private static final Set<String> STORE_TYPES = Set.of("JKS", "PKCS12", "PEM");
  private static final List<String> STORE_FILES = List.of("ssl.keystore.location", "ssl.truststore.location");
  private static final List<String> STORE_TYPE_KEYS = List.of("ssl.keystore.type", "ssl.truststore.type");

  private KafkaClientSettings() {}

  /**
   * The {@code kafka.*} settings of {@code settings}, prefix removed, checked.
   *
   * @return an unmodifiable map whose {@code toString} hides secrets
   * @throws IllegalArgumentException naming the first bad key (with its {@code kafka.} prefix)
   */
  public static Map<String, String> fromSettings(Map<String, String> settings) {
    Map<String, String> kafka = new LinkedHashMap<>();
    settings.forEach(
        (k, v) -> {
          if (k.startsWith(ConfigLoader.KAFKA_PREFIX)) {
            kafka.put(k.substring(ConfigLoader.KAFKA_PREFIX.length()), v.trim());
          }
        });
    return validate(kafka, ConfigLoader.KAFKA_PREFIX);
  }

  /**
   * Checks Kafka client settings (keys as the clients know them).
   *
   * @param keyPrefix how the keys are spelled where the user wrote them, for the error messages
   *     ({@code "kafka."} for a service's configuration, {@code ""} for a client properties file)
   * @return an unmodifiable copy whose {@code toString} hides secrets
   * @throws IllegalArgumentException naming the first bad key
   */
  public static Map<String, String> validate(Map<String, String> client, String keyPrefix) {
    String protocolText = client.getOrDefault("security.protocol", "PLAINTEXT").trim();
    String protocol = protocolText.toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(keyPrefix + "security.protocol must be one of "
          + String.join(", ", PROTOCOLS) + ", was '" + protocolText + "'");
    }
    boolean tls = protocol.endsWith("SSL");
    boolean sasl = protocol.startsWith("SASL_");
    for (String key : client.keySet()) {
      if (key.startsWith("ssl.") && !tls) {
        throw new IllegalArgumentException(keyPrefix + key + " is set but " + keyPrefix
            + "security.protocol is " + protocol + ", which does not use TLS; set it to SSL or SASL_SSL");
      }
      if (key.startsWith("sasl.") && !sasl) {
        throw new IllegalArgumentException(keyPrefix + key + " is set but " + keyPrefix
            + "security.protocol is " + protocol + ", which does not use SASL; set it to SASL_SSL or"
            + " SASL_PLAINTEXT");
      }
    }
    for (String key : STORE_FILES) {
      String location = client.get(key);
      if (location == null) {
        continue;
      }
      Path file;
      try {
        file = Path.of(location.trim());
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(keyPrefix + key + " is not a file name: '" + location + "'");
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException(
            keyPrefix + key + ": no readable file at '" + location + "'");
      }
    }
    for (String key : STORE_TYPE_KEYS) {
      String type = client.get(key);
      if (type != null && !STORE_TYPES.contains(type.trim().toUpperCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            keyPrefix + key + " must be JKS, PKCS12 or PEM, was '" + type + "'");
      }
    }
    String identification = client.get("ssl.endpoint.identification.algorithm");
    if (identification != null && !identification.isBlank()
        && !identification.trim().equalsIgnoreCase("https")) {
      throw new IllegalArgumentException(keyPrefix + "ssl.endpoint.identification.algorithm must be"
          + " https or empty (no host name check), was '" + identification + "'");
    }
    if (sasl) {
      String mechanism = client.getOrDefault("sasl.mechanism", "GSSAPI").trim();
      if (!mechanism.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            keyPrefix + "sasl.mechanism must be a SASL mechanism name such as SCRAM-SHA-512, was '"
                + mechanism + "'");
      }
      String jaas = client.get("sasl.jaas.config");
      boolean passwordMechanism = mechanism.equals("PLAIN") || mechanism.startsWith("SCRAM-");
      if (passwordMechanism && (jaas == null || jaas.isBlank())
          && System.getProperty("java.security.auth.login.config") == null) {
        throw new IllegalArgumentException(keyPrefix + "sasl.jaas.config is required for "
            + keyPrefix + "sasl.mechanism=" + mechanism + " (e.g. "
            + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"...\""
            + " password=\"...\";)");
      }
      if (jaas != null && !jaas.isBlank() && !jaas.trim().endsWith(";")) {
        // the value holds the password: name the key, never print the value
        throw new IllegalArgumentException(keyPrefix + "sasl.jaas.config must end with ';'");
      }
    }
    return Secrets.redacting(client);
  }
}
