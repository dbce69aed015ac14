package io.synergysched.core.config;

import io.synergysched.runtime.config.KafkaClientSettings;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.config.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule"
      + " required username=\"router\" password=\"s3cret-sasl-pw\";";

  @TempDir Path dir;

  @Test
  void shouldPassSecuritySettingsThroughWithThePrefixRemoved() throws Exception {
    Path trust = Files.writeString(dir.resolve("trust.p12"), "x");
    Map<String, String> kafka = KafkaClientSettings.fromSettings(Map.of(
        "bootstrap.servers", "b:9093",
        "kafka.security.protocol", "sasl_ssl",
        "kafka.sasl.mechanism", "SCRAM-SHA-512",
        "kafka.sasl.jaas.config", JAAS,
        "kafka.ssl.truststore.location", trust.toString(),
        "kafka.ssl.truststore.password", "trust-pw-123",
        "kafka.ssl.truststore.type", "PKCS12"));
    assertThat(kafka).containsEntry("security.protocol", "sasl_ssl")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.location", trust.toString())
        .doesNotContainKey("bootstrap.servers");
    // a dump of the settings hides the secrets, as Kafka's own config logs do
    assertThat(kafka.toString()).contains("sasl.mechanism=SCRAM-SHA-512")
        .doesNotContain("s3cret-sasl-pw").doesNotContain("trust-pw-123")
        .contains("sasl.jaas.config=[hidden]");
  }

  @Test
  void shouldNameTheKeyOfAnUnknownProtocol() {
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(
        Map.of("kafka.security.protocol", "TLS")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka.security.protocol").hasMessageContaining("SASL_SSL");
  }

  @Test
  void shouldNameTheKeyOfAMissingKeystore() {
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SSL",
        "kafka.ssl.keystore.location", dir.resolve("absent.p12").toString())))
        .hasMessageContaining("kafka.ssl.keystore.location").hasMessageContaining("absent.p12");
  }

  @Test
  void shouldRefuseTlsSettingsThePlaintextProtocolWouldIgnore() {
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(
        Map.of("kafka.ssl.truststore.type", "PKCS12")))
        .hasMessageContaining("kafka.ssl.truststore.type")
        .hasMessageContaining("kafka.security.protocol is PLAINTEXT");
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SSL", "kafka.sasl.mechanism", "PLAIN")))
        .hasMessageContaining("kafka.sasl.mechanism");
  }

  @Test
  void shouldRequireAJaasConfigForScramWithoutPrintingIt() {
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512")))
        .hasMessageContaining("kafka.sasl.jaas.config is required");
    String unterminated = JAAS.substring(0, JAAS.length() - 1);
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512",
        "kafka.sasl.jaas.config", unterminated)))
        .hasMessageContaining("kafka.sasl.jaas.config must end with ';'")
        .message().doesNotContain("s3cret-sasl-pw");
  }

  @Test
  void shouldCheckStoreTypesAndHostNameVerification() {
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SSL", "kafka.ssl.keystore.type", "P12")))
        .hasMessageContaining("kafka.ssl.keystore.type");
    assertThatThrownBy(() -> KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SSL", "kafka.ssl.endpoint.identification.algorithm", "none")))
        .hasMessageContaining("kafka.ssl.endpoint.identification.algorithm");
    assertThat(KafkaClientSettings.fromSettings(Map.of(
        "kafka.security.protocol", "SSL", "kafka.ssl.endpoint.identification.algorithm", "")))
        .containsEntry("ssl.endpoint.identification.algorithm", "");
  }

  @Test
  void shouldMapEnvironmentVariablesToKafkaKeys() {
    Map<String, String> settings = ConfigLoader.load(null, Map.of(
        "SYNERGY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "SYNERGY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "SYNERGY_KAFKA_SASL_JAAS_CONFIG", JAAS,
        "SYNERGY_HTTP_TOKEN", "a-token-of-enough-length"), Map.of(),
        java.util.List.of(HttpAccess.TOKEN));
    assertThat(settings).containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.jaas.config", JAAS)
        .containsEntry(HttpAccess.TOKEN, "a-token-of-enough-length");
    assertThat(KafkaClientSettings.fromSettings(settings)).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }
}
