package io.synergysched.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the routed-request reader does with each record for one of its engines, without a broker
 * (recovery and the full loop are in {@code EngineConnectorIT}).
 */
class RoutedRequestReaderTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final SchemaRegistryClient NO_REGISTRY = null;

  private final AvroRecordCodec<RoutedRequest> codec = new AvroRecordCodec<>(RoutedRequest.class, NO_REGISTRY);
  private final RecordingEngine engine = new RecordingEngine("e0");
  private final KafkaEventPublisher publisher;
  private final RoutedRequestReader reader;
  private long offset;

  RoutedRequestReaderTest() {
    Properties client = new Properties();
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never contacted
    publisher = new KafkaEventPublisher(client, NO_REGISTRY, 16);
    reader = new RoutedRequestReader(client, "test-group", NO_REGISTRY,
        Map.of("e0", (EngineBackend) engine)::get, publisher, () -> NOW, Set.of("e0"),
        EngineConnectorConfig.Recovery.OFF, Duration.ofMinutes(1));
  }

  @AfterEach
  void close() {
    publisher.close(Duration.ofMillis(100));
  }

  private static RoutedRequest routed(String engineId, String requestId, Integer sloTtftMs) {
    return RoutedRequest.newBuilder()
        .setEngineId(engineId).setDecisionId("d-" + requestId).setRoutedAtMs(NOW).setPolicy("test")
        .setRequest(InferenceRequest.newBuilder()
            .setRequestId(requestId).setArrivalTimeMs(NOW).setPromptTokens(100).setMaxOutputTokens(20)
            .setSloTtftMs(sloTtftMs).setSloTpotMs(100)
            .build())
        .build();
  }

  private void read(String key, RoutedRequest request) {
    reader.handle(new ConsumerRecord<>(Topics.REQUESTS_ROUTED.name(), 0, offset++, key,
        codec.encode(Topics.REQUESTS_ROUTED.name(), request)));
  }

  @Test
  void shouldHandARequestToItsEngineOnceWhenItIsReadTwice() {
    read("e0", routed("e0", "r-1", 1_000));
    read("e0", routed("e0", "r-1", 1_000));
    read("e1", routed("e1", "r-2", 1_000)); // another process's engine

    assertThat(engine.submitted).extracting(r -> r.getRequest().getRequestId()).containsExactly("r-1");
    assertThat(reader.delivered()).isEqualTo(1);
    assertThat(reader.duplicates()).isEqualTo(1);
    assertThat(reader.deadLettered()).isZero();
  }

  @Test
  void shouldDeadLetterARequestWhenItBreaksTheRoutersRules() {
    // the connector once served requests without an SLO; now the router's rules hold here too
    read("e0", routed("e0", "r-1", null));

    assertThat(engine.submitted).isEmpty();
    assertThat(reader.deadLettered()).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterARequestWhenItsKeyNamesAnotherEngine() {
    read("e0", routed("e9", "r-1", 1_000));

    assertThat(engine.submitted).isEmpty();
    assertThat(reader.deadLettered()).isEqualTo(1);
  }
}
