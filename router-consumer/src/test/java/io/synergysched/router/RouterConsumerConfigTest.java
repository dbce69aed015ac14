package io.synergysched.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterConsumerConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> settings = new HashMap<>();
    settings.put(RouterConsumerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
    settings.put("synergy.http.token", "router-config-test-token-0123456789");
    return settings;
  }

  @Test
  void metricsListenOnLoopbackUnlessToldOtherwise() {
    assertThat(RouterConsumerConfig.fromSettings(minimal()).metricsBind()).isEqualTo("127.0.0.1");

    Map<String, String> settings = minimal();
    settings.put(RouterConsumerConfig.METRICS_BIND, " 0.0.0.0 ");
    assertThat(RouterConsumerConfig.fromSettings(settings).metricsBind()).isEqualTo("0.0.0.0");
  }

  @Test
  void aBadMetricsAddressIsNamedByItsKey() {
    Map<String, String> settings = minimal();
    settings.put(RouterConsumerConfig.METRICS_BIND, "http://0.0.0.0/");
    assertThatThrownBy(() -> RouterConsumerConfig.fromSettings(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(RouterConsumerConfig.METRICS_BIND);
  }

  @Test
  void shouldFailNamingTheKeyAndTheValueWhenTheTrainerUrlIsNotHttp() {
    Map<String, String> settings = minimal();
    settings.put(RouterConsumerConfig.TRAINER_URL, "ftp://trainer:7070");
    assertThatThrownBy(() -> RouterConsumerConfig.fromSettings(settings))
        .hasMessage("synergy.router.trainer-url must be an http(s) URL with a host, was ftp://trainer:7070");
  }

  @Test
  void shouldTakeTheDeclaredDefaultsWhenKeysAreAbsentOrBlank() {
    Map<String, String> settings = minimal();
    settings.put(RouterConsumerConfig.INSTANCE_ID, " ");
    RouterConsumerConfig config = RouterConsumerConfig.fromSettings(settings);

    assertThat(config.instanceId()).isEqualTo("router-0");
    assertThat(config.groupId()).isEqualTo("synergy-router");
    assertThat(config.policy()).isEqualTo("prism");
    assertThat(config.trainerUrl()).hasToString("http://127.0.0.1:7070");
    assertThat(config.snapshotInterval()).isEqualTo(java.time.Duration.ofMillis(50));
    assertThat(config.engineTimeout()).isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(config.metricsPort()).isEqualTo(-1);
    assertThat(config.schemaRegistryUrl()).isNull();
    assertThat(RouterConsumerConfig.ALL_SETTINGS.keys()).contains("synergy.router.snapshot.ms", "synergy.http.token");
  }
}
