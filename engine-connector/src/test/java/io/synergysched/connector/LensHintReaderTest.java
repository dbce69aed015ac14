package io.synergysched.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.runtime.mapping.LensHintMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the control-topic reader does with each record for one of its engines, without a broker
 * (dead letters and the full loop are in {@code EngineConnectorIT}).
 */
class LensHintReaderTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final SchemaRegistryClient NO_REGISTRY = null;

  private final AvroRecordCodec<io.synergysched.schemas.LensHint> codec =
      new AvroRecordCodec<>(io.synergysched.schemas.LensHint.class, NO_REGISTRY);
  private final RecordingEngine engine = new RecordingEngine("e0");
  private final KafkaEventPublisher publisher;
  private final LensHintReader reader;
  private long offset;

  LensHintReaderTest() {
    Properties client = new Properties();
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never contacted
    publisher = new KafkaEventPublisher(client, NO_REGISTRY, 16);
    reader = new LensHintReader(client, NO_REGISTRY, Map.of("e0", (EngineBackend) engine)::get, publisher,
        () -> NOW);
  }

  @AfterEach
  void close() {
    publisher.close(Duration.ofMillis(100));
  }

  private static LensPlan hint(String engineId, long version, long issuedAtMs) {
    return new LensPlan(engineId, version, 40 + version, issuedAtMs, issuedAtMs + 10_000, 100, 5,
        List.of(new LensPlan.BudgetPoint(0, 0, 4096), new LensPlan.BudgetPoint(64, 900, 2048)), 128, 256, 0.9,
        LensPlan.SLACK);
  }

  private void read(String key, LensPlan hint) {
    byte[] value = hint == null ? null : codec.encode(Topics.CONTROL_LENS.name(), LensHintMapping.toAvro(hint));
    reader.handle(new ConsumerRecord<>(Topics.CONTROL_LENS.name(), 0, offset++, key, value));
  }

  @Test
  void shouldHandTheEngineItsNewestLiveHintAndNothingElse() {
    read("e1", hint("e1", 1, NOW)); // another process's engine
    assertThat(engine.received).isEmpty();

    LensPlan live = hint("e0", 2, NOW - 1_000);
    read("e0", live);
    assertThat(engine.hints.held()).isEqualTo(live);
    assertThat(reader.applied()).isEqualTo(1);

    read("e0", hint("e0", 1, NOW - 2_000)); // older: a replay of the compacted topic
    read("e0", hint("e0", 3, NOW - 20_000)); // expired on arrival
    assertThat(engine.hints.held()).isEqualTo(live);
    assertThat(reader.ignored()).isEqualTo(2);

    read("e0", null); // tombstone: back to the defaults
    assertThat(engine.hints.held()).isNull();
    assertThat(reader.deadLettered()).isZero();
  }

  @Test
  void shouldDeadLetterAHintThatNamesAnotherEngineThanItsKey() {
    read("e0", hint("e9", 1, NOW));
    assertThat(reader.deadLettered()).isEqualTo(1);
    assertThat(engine.received).isEmpty();
  }
}
