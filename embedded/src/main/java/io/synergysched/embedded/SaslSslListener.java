package io.synergysched.embedded;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client listener that requires TLS and SASL/SCRAM-SHA-512, for an {@link EmbeddedKafkaCluster}:
 * a self-signed broker certificate for {@code localhost} / {@code 127.0.0.1} and a truststore
 * holding it ({@link TestCertificates}: the JDK's {@code keytool}, random store passwords), and
 * the broker settings of a listener named {@value #NAME}.
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

  private final TestCertificates certificates;

  private SaslSslListener(TestCertificates certificates) {
    this.certificates = certificates;
  }

  /** Generates the broker's key pair, certificate and the clients' truststore (~2 s, keytool). */
  public static SaslSslListener generate() throws IOException, InterruptedException {
    return new SaslSslListener(TestCertificates.generate("localhost"));
  }

  /** A random password, 32 hex digits. */
  public static String randomPassword() {
    return TestCertificates.randomPassword();
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
    config.put(prefix + "ssl.keystore.location", certificates.keystore().toString());
    config.put(prefix + "ssl.keystore.password", certificates.keystorePassword());
    config.put(prefix + "ssl.key.password", certificates.keystorePassword());
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
    settings.put("ssl.truststore.location", certificates.truststore().toString());
    settings.put("ssl.truststore.password", certificates.truststorePassword());
    settings.put("ssl.truststore.type", "PKCS12");
    return settings;
  }

  public String keystorePassword() {
    return certificates.keystorePassword();
  }

  public String truststorePassword() {
    return certificates.truststorePassword();
  }

  /** Deletes the stores. */
  void delete() {
    certificates.delete();
  }
}
