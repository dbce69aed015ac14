package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.Topics;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.topologies.TopicProvisioner;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo pointed at a cluster whose topics already hold records in the Confluent wire format
 * (magic byte 0, a 4-byte schema id), as a registry-using deployment writes them, without
 * {@code --schema-registry-url}: it must refuse before writing anything, naming the flag.
 */
@Timeout(300) // a hang guard, not a speed assertion
class DemoRegistryFramedTopicsIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @TempDir Path dir;

  @Test
  void shouldRefuseNamingTheRegistryFlagWhenTopicsHoldRegistryFramedRecords() throws Exception {
    try (Admin admin = KAFKA.admin()) {
      TopicProvisioner.ensureTopics(admin, 4, (short) 1);
    }
    Properties props = KAFKA.clientProperties();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 20; i++) {
        for (Topics.TopicSpec<?> topic : java.util.List.of(Topics.ENGINE_STEPS,
            Topics.ENGINE_REQUESTS, Topics.ENGINE_REGISTRY, Topics.ROUTING_DECISIONS)) {
          producer.send(new ProducerRecord<>(topic.name(), "a100-" + (i % 4), registryFramed(16 + i)));
        }
      }
    }
    Map<TopicPartition, Long> before;
    Set<String> topicsBefore;
    try (Admin admin = KAFKA.admin()) {
      before = DemoOnSharedCluster.endOffsets(admin);
      topicsBefore = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
    Path temp = dir.resolve("tmp");
    java.nio.file.Files.createDirectories(temp);

    DemoOnSharedCluster.Outcome run =
        DemoOnSharedCluster.run(KAFKA.bootstrapServers(), temp, dir.resolve("out"));

    assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isNotZero();
    assertThat(run.err()).contains("--schema-registry-url").contains(Topics.ENGINE_STEPS.name());
    try (Admin admin = KAFKA.admin()) {
      assertThat(DemoOnSharedCluster.endOffsets(admin)).as("records written").isEqualTo(before);
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("topics")
          .isEqualTo(topicsBefore);
    }
    assertThat(DemoOnSharedCluster.demoFolders(temp)).as("temporary folders left").isEmpty();
  }

  /** Confluent wire format: magic byte 0, the schema's registry id, then (here) arbitrary bytes. */
  private static byte[] registryFramed(int schemaId) {
    return ByteBuffer.allocate(5 + 6).put((byte) 0).putInt(schemaId)
        .put(new byte[] {2, 'a', 2, 'b', 0, 0}).array();
  }
}
