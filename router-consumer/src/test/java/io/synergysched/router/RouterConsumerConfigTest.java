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
}
