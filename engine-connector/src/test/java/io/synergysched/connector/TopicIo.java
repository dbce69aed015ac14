package io.synergysched.connector;

import io.synergysched.testsupport.KafkaClusterExtension;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Raw records in and out of the test cluster, for the connector's integration tests. */
final class TopicIo {

  private TopicIo() {}

  /** Sends every record (acks all) and waits until they are written. */
  static void produce(KafkaClusterExtension kafka, List<ProducerRecord<String, byte[]>> records) {
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> record : records) {
        producer.send(record);
      }
      producer.flush();
    }
  }

  /**
   * A consumer in {@code group} that starts from the earliest offsets and, as the services do,
   * reads committed records only (a transaction the trainer aborts is never seen).
   */
  static KafkaConsumer<String, byte[]> consumer(KafkaClusterExtension kafka, String group) {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
