package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.testsupport.Await;
import io.synergysched.testsupport.KafkaClusterExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo's collector on a real broker, with records it cannot decode among its run's. */
@Timeout(120) // a hang guard, not a speed assertion
class DemoCollectorIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @Test
  void shouldCountAndSkipUndecodableRecordsAndFollowTheRunWhenOthersWriteTheTopics()
      throws Exception {
    KAFKA.createTopic(Topics.ENGINE_REQUESTS.name(), 1);
    KAFKA.createTopic(Topics.ROUTING_DECISIONS.name(), 1);
    AvroRecordCodec<RequestEvent> codec =
        new AvroRecordCodec<>(RequestEvent.class, (SchemaRegistryClient) null);
    byte[] valid = codec.encode("unused", RequestEvent.newBuilder()
        .setEngineId("e0").setRequestId("run-1").setType(RequestEventType.FINISHED)
        .setEventTimeMs(2_000).setArrivalTimeMs(1_000).setPromptTokens(100).setOutputTokens(20)
        .setSloTtftMs(1000).setSloTpotMs(100).setTtftUs(300_000L).setTpotUs(30_000L).build());
    // the same event as a registry client frames it (magic 0, schema id 7), and junk
    byte[] registryFramed = ByteBuffer.allocate(5 + valid.length - 10).put((byte) 0).putInt(7)
        .put(Arrays.copyOfRange(valid, 10, valid.length)).array();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KAFKA.clientProperties(),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.ENGINE_REQUESTS.name(), "e0", registryFramed));
      producer.send(new ProducerRecord<>(Topics.ROUTING_DECISIONS.name(), "run-0", new byte[] {9, 9}));
      producer.send(new ProducerRecord<>(Topics.ENGINE_REQUESTS.name(), "e0", valid));
    }

    try (DemoCollector collector =
        new DemoCollector(KAFKA.clientProperties(), null, "run-", "collector-test")) {
      Await.until("the run's request finished", Duration.ofSeconds(60),
          () -> collector.failure() != null || collector.ended() == 1);

      assertThat(collector.failure()).as("collector failure").isNull();
      assertThat(collector.ended()).isEqualTo(1);
      assertThat(collector.outcomes().get(0).ttftMs).isEqualTo(300.0);
      assertThat(collector.undecodable()).isEqualTo(2);
    }
  }
}
