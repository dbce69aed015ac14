package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.testsupport.KafkaClusterExtension;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on a shared cluster that already holds history it did not write: an earlier demo run's
 * records and records of another writer that SynergySched cannot decode. A new run must start at
 * its own start: no dead letters for old records, a report of its own requests only, and no
 * temporary folders left, whether the run succeeds or fails.
 */
@Timeout(400) // a hang guard, not a speed assertion
class DemoSharedHistoryIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldNotReadHistoryItDidNotWriteWhenTheClusterIsShared() throws Exception {
    Path temp = Files.createDirectories(dir.resolve("tmp"));
    DemoOnSharedCluster.Outcome earlier =
        DemoOnSharedCluster.run(KAFKA.bootstrapServers(), temp, dir.resolve("earlier"));
    assertThat(earlier.exit()).as("earlier run; stderr: %s", earlier.err()).isZero();
    // another writer's records: Avro single-object framing with a fingerprint nobody here knows
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KAFKA.clientProperties(),
        new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 25; i++) {
        for (Topics.TopicSpec<?> topic : List.of(Topics.ENGINE_STEPS, Topics.ENGINE_REQUESTS,
            Topics.ROUTING_DECISIONS, Topics.REQUESTS_INBOUND)) {
          producer.send(new ProducerRecord<>(topic.name(), "other-engine-" + (i % 4),
              unknownSingleObject(i)));
        }
      }
    }
    Map<TopicPartition, Long> start;
    try (Admin admin = KAFKA.admin()) {
      start = DemoOnSharedCluster.endOffsets(admin);
    }

    DemoOnSharedCluster.Outcome run =
        DemoOnSharedCluster.run(KAFKA.bootstrapServers(), temp, dir.resolve("now"));

    assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isZero();
    List<DeadLetter> fromHistory = new ArrayList<>();
    for (DeadLetter letter : deadLettersSince(start)) {
      Long end = start.get(new TopicPartition(letter.getSourceTopic(), letter.getSourcePartition()));
      if (end != null && letter.getSourceOffset() >= 0 && letter.getSourceOffset() < end) {
        fromHistory.add(letter);
      }
    }
    assertThat(fromHistory).as("dead letters of records written before the run started")
        .extracting(d -> d.getStage() + " " + d.getSourceTopic() + "@" + d.getSourceOffset())
        .isEmpty();
    long[] counts = DemoOnSharedCluster.reportCounts(run.report(), "prism");
    long sent = counts[0];
    assertThat(sent).as("requests sent").isPositive();
    assertThat(counts[1]).as("finished").isPositive();
    assertThat(counts[1] + counts[2] + counts[3]).as("finished + shed + rejected")
        .isLessThanOrEqualTo(sent);
    assertThat(DemoOnSharedCluster.demoFolders(temp)).as("temporary folders left").isEmpty();
  }

  @Test
  void shouldDeleteItsTemporaryFoldersWhenARunFails() throws Exception {
    Path temp = Files.createDirectories(dir.resolve("tmp-failing"));

    // the model-trainer starts (and makes its state folder), then the router refuses the policy
    DemoOnSharedCluster.Outcome run = DemoOnSharedCluster.run(KAFKA.bootstrapServers(), temp,
        dir.resolve("failing"), "--router", "no-such-policy");

    assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isNotZero();
    assertThat(DemoOnSharedCluster.demoFolders(temp)).as("temporary folders left").isEmpty();
  }

  /** Dead letters written after {@code start} (the topic's end offset then). */
  private static List<DeadLetter> deadLettersSince(Map<TopicPartition, Long> start) {
    AvroRecordCodec<DeadLetter> codec =
        new AvroRecordCodec<>(DeadLetter.class, (SchemaRegistryClient) null);
    Properties props = KAFKA.clientProperties();
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      for (TopicPartition tp : partitions) {
        consumer.seek(tp, start.getOrDefault(tp, 0L));
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.currentTimeMillis() + 30_000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          letters.add(codec.decodeValue(r));
        }
      }
    }
    return letters;
  }

  /** Single-object framing (C3 01) with a fingerprint of no schema SynergySched knows. */
  private static byte[] unknownSingleObject(int i) {
    return ByteBuffer.allocate(10 + 4).put((byte) 0xC3).put((byte) 0x01)
        .putLong(0x5EED_0000_0000_0000L + i).put(new byte[] {2, 'x', 0, 0}).array();
  }
}
