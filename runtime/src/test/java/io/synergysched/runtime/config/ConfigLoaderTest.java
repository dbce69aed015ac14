package io.synergysched.core.config;

import io.synergysched.runtime.config.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final List<String> KEYS = List.of("bootstrap.servers", "synergy.iq.port");

  @TempDir Path dir;

  @Test
  void shouldLetTheEnvironmentOverrideTheFileAndArgumentsOverrideBoth() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nsynergy.iq.port=1\nkafka.linger.ms=5\n");

    Map<String, String> settings = ConfigLoader.fromCommandLine(
        new String[] {"--config", file.toString(), "synergy.iq.port=3"},
        Map.of("SYNERGY_BOOTSTRAP_SERVERS", "env:9092", "SYNERGY_IQ_PORT", "2",
            "SYNERGY_KAFKA_SECURITY_PROTOCOL", "SSL"),
        KEYS);

    assertThat(settings)
        .containsEntry("bootstrap.servers", "env:9092")
        .containsEntry("synergy.iq.port", "3")
        .containsEntry("kafka.linger.ms", "5")
        .containsEntry("kafka.security.protocol", "SSL");
  }

  @Test
  void shouldFailNamingAnUnknownKeyOrArgument() {
    assertThatThrownBy(() -> ConfigLoader.fromCommandLine(
        new String[] {"bootstrap.server=x:1"}, Map.of(), KEYS))
        .hasMessageContaining("unknown configuration key 'bootstrap.server'");
    assertThatThrownBy(() -> ConfigLoader.fromCommandLine(new String[] {"--verbose"}, Map.of(), KEYS))
        .hasMessageContaining("unexpected argument '--verbose'");
    assertThatThrownBy(() -> ConfigLoader.fromCommandLine(
        new String[] {"--config", dir.resolve("missing").toString()}, Map.of(), KEYS))
        .hasMessageContaining("cannot read config file");
  }

  @Test
  void shouldNameTheEnvironmentVariableOfAKey() {
    assertThat(ConfigLoader.envName("bootstrap.servers")).isEqualTo("SYNERGY_BOOTSTRAP_SERVERS");
    assertThat(ConfigLoader.envName("synergy.router.engine-timeout.ms"))
        .isEqualTo("SYNERGY_ROUTER_ENGINE_TIMEOUT_MS");
  }
}
