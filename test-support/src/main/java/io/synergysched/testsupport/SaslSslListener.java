package io.synergysched.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client listener that requires TLS and SASL/SCRAM-SHA-512, for an {@link EmbeddedKafkaCluster}:
 * a self-signed broker certificate for {@code localhost} / {@code 127.0.0.1} and a truststore
 * holding it, generated with the JDK's {@code keytool} in a temporary folder, random store
 * passwords, and the broker settings of a listener named {@value #NAME}.
 *
 * <p>The cluster keeps its plaintext listener for broker-to-broker and controller traffic and for
 * the test's own administration (creating the SCRAM users); clients under test connect to this one
 * only ({@link EmbeddedKafkaCluster#secureBootstrapServers()}).
 */
public final class SaslSslListener {

  /** The listener's name in the broker configuration. */
  public static final String NAME = "SECURE";

  /** The SASL mechanism it accepts. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  private final Path dir;
  private final Path keystore;
  private final Path truststore;
  private final String keystorePassword;
  private final String truststorePassword;

  private SaslSslListener(Path dir) {
    this.dir = dir;
    this.keystore = dir.resolve("broker.p12");
    this.truststore = dir.resolve("truststore.p12");
    this.keystorePassword = randomPassword();
    this.truststorePassword = randomPassword();
  }

  /** Generates the broker's key pair, certificate and the clients' truststore (~2 s, keytool). */
  public static SaslSslListener generate() throws IOException, InterruptedException {
    SaslSslListener listener = new SaslSslListener(Files.createTempDirectory("synergysched-tls-"));
    listener.keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", listener.keystore.toString(), "-storetype", "PKCS12",
        "-storepass", listener.keystorePassword, "-keypass", listener.keystorePassword);
    Path certificate = listener.dir.resolve("broker.crt");
    listener.keytool("-exportcert", "-rfc", "-alias", "broker", "-file", certificate.toString(),
        "-keystore", listener.keystore.toString(), "-storepass", listener.keystorePassword);
    listener.keytool("-importcert", "-noprompt", "-alias", "synergysched-test-ca",
        "-file", certificate.toString(), "-keystore", listener.truststore.toString(),
        "-storetype", "PKCS12", "-storepass", listener.truststorePassword);
    return listener;
  }

  /** A random password, 32 hex digits. */
  public static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The broker settings that add this listener beside the test kit's own two. */
  Map<String, Object> brokerConfig(String plaintextListener, String controllerListener) {
    String prefix = "listener.name." + NAME.toLowerCase(java.util.Locale.ROOT) + ".";
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("listeners", plaintextListener + "://localhost:0," + controllerListener
        + "://localhost:0," + NAME + "://localhost:0");
    config.put("listener.security.protocol.map", plaintextListener + ":PLAINTEXT,"
        + controllerListener + ":PLAINTEXT," + NAME + ":SASL_SSL");
    config.put("inter.broker.listener.name", plaintextListener);
    config.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
    config.put(prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    config.put(prefix + "ssl.keystore.location", keystore.toString());
    config.put(prefix + "ssl.keystore.password", keystorePassword);
    config.put(prefix + "ssl.key.password", keystorePassword);
    config.put(prefix + "ssl.keystore.type", "PKCS12");
    return config;
  }

  /**
   * Settings of a client that authenticates as {@code user}: {@code security.protocol},
   * {@code sasl.*} and the truststore ({@code ssl.*}), keys as the Kafka clients know them.
   */
  public Map<String, String> clientSettings(String user, String password) {
    Map<String, String> settings = new LinkedHashMap<>(tlsOnlySettings());
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", MECHANISM);
    settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
        + " required username=\"" + user + "\" password=\"" + password + "\";");
    return settings;
  }

  /** Settings of a client that speaks TLS (trusting the broker) but brings no SASL credentials. */
  public Map<String, String> tlsOnlySettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("security.protocol", "SSL");
    settings.put("ssl.truststore.location", truststore.toString());
    settings.put("ssl.truststore.password", truststorePassword);
    settings.put("ssl.truststore.type", "PKCS12");
    return settings;
  }

  public String keystorePassword() {
    return keystorePassword;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  /** Deletes the stores. */
  void delete() {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary folder: the OS cleans it eventually
    }
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      // the arguments hold the store passwords: report the tool's output and the action only
      throw new IOException("keytool " + args[0] + " failed: " + new String(output).strip());
    }
  }
}
