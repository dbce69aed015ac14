package io.synergysched.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConnectorConfigTest {

  @Test
  void shouldNameEnginesByConnectorAndHardwareWhenCountsAreGiven() {
    EngineConnectorConfig config = EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "127.0.0.1:9092",
        "synergy.connector.id", "east",
        "synergy.engines", "a100:llama-2-7b:tp1*2, h100:llama-2-70b:tp2"));

    assertThat(config.engines()).extracting(EngineConnectorConfig.EngineSlot::engineId)
        .containsExactly("east-a100-llama-2-7b-tp1-0", "east-a100-llama-2-7b-tp1-1",
            "east-h100-llama-2-70b-tp2-2");
    assertThat(config.engines().get(2).spec()).isEqualTo("h100:llama-2-70b:tp2");
    assertThat(config.backend()).isEqualTo("sim");
  }

  @Test
  void shouldFailNamingTheKeyWhenAValueIsBad() {
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of()))
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines", "a100:llama-2-7b")))
        .hasMessageContaining("synergy.engines");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.speed", "0")))
        .hasMessageContaining("synergy.engines.speed");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.backend", "tgi")))
        .hasMessageContaining("synergy.engines.backend");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.connector.id", "a b")))
        .hasMessageContaining("synergy.connector.id");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.scheduler", "lenz")))
        .hasMessageContaining("synergy.engines.scheduler").hasMessageContaining("lens");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.slo.tpot-ms", "0")))
        .hasMessageContaining("synergy.engines.slo.tpot-ms");
  }

  @Test
  void shouldReadTheSloDefaultsOfSloAwareSchedulersWhenGiven() {
    EngineConnectorConfig config = EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.scheduler", "lens",
        "synergy.engines.slo.ttft-ms", "3000", "synergy.engines.slo.tpot-ms", "50"));
    assertThat(config.scheduler()).isEqualTo("lens");
    assertThat(config.sloTtftMs()).isEqualTo(3000);
    assertThat(config.sloTpotMs()).isEqualTo(50);
  }

  @Test
  void shouldFailOverInFlightRequestsByDefaultAndReadTheRecoverySettingsWhenGiven() {
    EngineConnectorConfig defaults = EngineConnectorConfig.fromSettings(Map.of("bootstrap.servers", "x:1"));
    assertThat(defaults.recovery()).isEqualTo(EngineConnectorConfig.Recovery.FAILOVER);
    assertThat(defaults.recoveryLookback().toMillis()).isEqualTo(300_000);

    EngineConnectorConfig reject = EngineConnectorConfig.fromSettings(Map.of("bootstrap.servers", "x:1",
        "synergy.engines.recovery", "Reject", "synergy.engines.recovery.lookback-ms", "60000"));
    assertThat(reject.recovery()).isEqualTo(EngineConnectorConfig.Recovery.REJECT);
    assertThat(reject.recoveryLookback().toMillis()).isEqualTo(60_000);

    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.recovery", "retry")))
        .hasMessageContaining("synergy.engines.recovery").hasMessageContaining("failover");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines.recovery.lookback-ms", "0")))
        .hasMessageContaining("synergy.engines.recovery.lookback-ms");
  }

  @Test
  void shouldNameTheBadItemWhenAnEngineCountIsOutOfRange() {
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.engines", "a100:llama-2-7b:tp1, h100:llama-2-7b:tp1*0")))
        .hasMessageStartingWith("synergy.engines item 'h100:llama-2-7b:tp1*0' is not GPU:MODEL:tpN[*COUNT]");
    assertThatThrownBy(() -> EngineConnectorConfig.fromSettings(Map.of(
        "bootstrap.servers", "x:1", "synergy.heartbeat.ms", "5")))
        .hasMessage("synergy.heartbeat.ms must be >= 10, was 5");
  }
}
