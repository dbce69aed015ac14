package io.synergysched.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTrainerConfigTest {

  private static ModelTrainerConfig read(String... keyValues) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", "localhost:9092");
    settings.put("synergy.http.auth", "none");
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put(keyValues[i], keyValues[i + 1]);
    }
    return ModelTrainerConfig.fromSettings(settings);
  }

  @Test
  void shouldPlanLensHintsWithTheConfiguredSettingsUnlessDisabled() {
    var lens = read("synergy.lens.slo.tpot-ms", "50", "synergy.lens.hint-ttl-ms", "4000",
        "synergy.lens.refresh-after-ms", "2000", "synergy.lens.plan-interval-ms", "500",
        "synergy.lens.material.budget-fraction", "0.2").lens();
    assertThat(lens.tpotTargetMs()).isEqualTo(50);
    assertThat(lens.planner().hintTtlMs()).isEqualTo(4000);
    assertThat(lens.publishPolicy().refreshAfterMs()).isEqualTo(2000);
    assertThat(lens.publishPolicy().budgetFraction()).isEqualTo(0.2);
    assertThat(lens.planIntervalMs()).isEqualTo(500);
    assertThat(read().lens()).isNotNull();
    assertThat(read("synergy.lens.enabled", "false").lens()).isNull();
    assertThat(ModelTrainerConfig.ALL_SETTINGS.keys()).contains("synergy.lens.enabled", "synergy.lens.slo.tpot-ms",
        "synergy.lens.hint-ttl-ms", "synergy.lens.material.watermark-delta");
  }

  @Test
  void shouldFailNamingTheKeyWhenALensValueIsBad() {
    assertThatThrownBy(() -> read("synergy.lens.enabled", "maybe")).hasMessageContaining("synergy.lens.enabled");
    assertThatThrownBy(() -> read("synergy.lens.slo.tpot-ms", "-1")).hasMessageContaining("synergy.lens.slo.tpot-ms");
    assertThatThrownBy(() -> read("synergy.lens.hint-ttl-ms", "soon")).hasMessageContaining("synergy.lens.hint-ttl-ms");
    assertThatThrownBy(() -> read("synergy.lens.refresh-after-ms", "9500"))
        .hasMessageContaining("synergy.lens.refresh-after-ms").hasMessageContaining("synergy.lens.hint-ttl-ms");
    assertThatThrownBy(() -> read("synergy.lens.material.watermark-delta", "2"))
        .hasMessageContaining("synergy.lens.material.watermark-delta");
    assertThatThrownBy(() -> read("synergy.lens.plan-interval-ms", "1.5"))
        .hasMessageContaining("synergy.lens.plan-interval-ms");
  }

  @Test
  void shouldListenOnTheAdvertisedHostUnlessABindAddressIsGiven() {
    assertThat(read("synergy.iq.host", "trainer-0").bindHost()).isEqualTo("trainer-0");
    assertThat(read("synergy.iq.host", "trainer-0", "synergy.iq.bind", "0.0.0.0").bindHost()).isEqualTo("0.0.0.0");
    assertThat(read().stateDir()).isEqualTo(
        java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "synergysched", "model-trainer"));
    assertThat(read().commitIntervalMs()).isEqualTo(100);
    assertThat(read().stateCacheBytes()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void shouldFailNamingTheKeyWhenAStreamsValueIsBad() {
    assertThatThrownBy(() -> read("processing.guarantee", "exactly_once"))
        .hasMessage("processing.guarantee must be exactly_once_v2 or at_least_once, was exactly_once");
    assertThatThrownBy(() -> read("num.stream.threads", "0"))
        .hasMessage("num.stream.threads must be in [1, 64], was 0");
    assertThatThrownBy(() -> read("synergy.model.forgetting-factor", "0.5"))
        .hasMessage("synergy.model.forgetting-factor must be (0.9, 1], was 0.5");
  }
}
