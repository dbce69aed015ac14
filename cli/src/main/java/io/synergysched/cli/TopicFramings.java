package io.synergysched.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How the latest records of topics are framed: Confluent wire format (magic byte 0 and a 4-byte
 * schema registry id) or Avro single-object encoding ({@code C3 01} and a fingerprint). A writer
 * must not add one framing to topics that hold the other: Confluent's deserializers fail on
 * single-object records. Reads without a consumer group and commits nothing.
 */
final class TopicFramings {

  /** Records read from the end of each partition. */
  static final int RECORDS_PER_PARTITION = 10;

  /** Topics whose latest records include registry-framed ones, and one schema id each. */
  record Found(Map<String, Integer> registryFramed) {
    boolean any() {
      return !registryFramed.isEmpty();
    }
  }

  private TopicFramings() {}

  /**
   * Peeks at the last {@value #RECORDS_PER_PARTITION} records of every partition of the topics
   * that exist.
   *
   * @param client Kafka client settings with {@code bootstrap.servers}
   * @param topics topic names; absent ones are skipped
   * @param limit how long the whole peek may take
   */
  static Found peek(Properties client, Collection<String> topics, Duration limit) {
    Properties props = new Properties();
    props.putAll(client);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    Map<String, Integer> found = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<String> existing = consumer.listTopics(limit).keySet();
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        if (existing.contains(topic)) {
          for (PartitionInfo p : consumer.partitionsFor(topic, limit)) {
            partitions.add(new TopicPartition(topic, p.partition()));
          }
        }
      }
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, limit);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, limit);
      List<TopicPartition> nonEmpty = partitions.stream()
          .filter(tp -> end.get(tp) > begin.get(tp)).toList();
      consumer.assign(nonEmpty);
      Map<TopicPartition, Long> stopAt = new HashMap<>();
      for (TopicPartition tp : nonEmpty) {
        consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - RECORDS_PER_PARTITION));
        stopAt.put(tp, end.get(tp));
      }
      long deadline = System.currentTimeMillis() + limit.toMillis();
      while (!stopAt.isEmpty() && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          byte[] v = r.value();
          if (v != null && v.length >= 5 && v[0] == 0) {
            found.putIfAbsent(r.topic(), ((v[1] & 0xff) << 24) | ((v[2] & 0xff) << 16)
                | ((v[3] & 0xff) << 8) | (v[4] & 0xff));
          }
        }
        // transaction markers take offsets too: done when the position reaches the end
        stopAt.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        consumer.pause(nonEmpty.stream().filter(tp -> !stopAt.containsKey(tp)).toList());
      }
    }
    return new Found(found);
  }
}
