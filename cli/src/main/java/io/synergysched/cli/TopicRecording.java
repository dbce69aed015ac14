package io.synergysched.cli;

import io.synergysched.schemas.RecordedRecord;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Saves topics to an Avro object container file of {@link RecordedRecord}s and publishes them
 * back. Values are stored in single-object encoding whatever framing they had (the registry, when
 * one is configured, decodes Confluent-framed values), and replay writes them in the framing the
 * target is configured for, with their original keys and timestamps, each partition's order kept,
 * so a replay feeds the topologies exactly what the live run fed them.
 */
final class TopicRecording {

  private TopicRecording() {}

  /**
   * Reads every record of {@code topics} from the start up to the end offsets found when it begins
   * and writes them to {@code file}; returns the count per topic.
   */
  static Map<String, Long> record(
      Properties client, SchemaRegistryClient registry, List<String> topics, Path file)
      throws IOException {
    Map<String, AvroRecordCodec<? extends SpecificRecord>> codecs = codecs(topics, registry);
    Map<String, Long> counts = new LinkedHashMap<>();
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        DataFileWriter<RecordedRecord> writer =
            new DataFileWriter<>(new SpecificDatumWriter<>(RecordedRecord.class))) {
      writer.setCodec(CodecFactory.deflateCodec(3));
      writer.setMeta("synergysched.topics", String.join(",", topics));
      writer.create(RecordedRecord.getClassSchema(), file.toFile());
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        counts.put(topic, 0L);
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      while (!end.isEmpty()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long stop = end.get(tp);
          if (stop == null || r.offset() >= stop) {
            continue;
          }
          byte[] value = r.value() == null ? null : singleObject(codecs.get(r.topic()), r);
          writer.append(RecordedRecord.newBuilder()
              .setTopic(r.topic())
              .setPartition(r.partition())
              .setOffset(r.offset())
              .setTimestampMs(r.timestamp())
              .setKey(r.key())
              .setValue(value == null ? null : ByteBuffer.wrap(value))
              .build());
          counts.merge(r.topic(), 1L, Long::sum);
        }
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
    return counts;
  }

  /**
   * Publishes the records of {@code topic} saved in {@code file} back to that topic. With {@code
   * speed} &gt; 0 the gaps between event times are kept, divided by {@code speed}; with 0 it sends
   * as fast as it can. Returns the number of records sent.
   */
  static long replay(
      Properties client, SchemaRegistryClient registry, Path file, String topic, double speed,
      LongSupplier nanoClock) throws IOException, InterruptedException {
    AvroRecordCodec<? extends SpecificRecord> codec = codecs(List.of(topic), registry).get(topic);
    AvroRecordCodec<? extends SpecificRecord> reader = codecs(List.of(topic), null).get(topic);
    List<List<RecordedRecord>> byPartition = new ArrayList<>();
    Map<Integer, List<RecordedRecord>> partitions = new LinkedHashMap<>();
    try (DataFileReader<RecordedRecord> in =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(RecordedRecord.class))) {
      for (RecordedRecord r : in) {
        if (r.getTopic().equals(topic)) {
          partitions.computeIfAbsent(r.getPartition(), p -> new ArrayList<>()).add(r);
        }
      }
    }
    byPartition.addAll(partitions.values());
    // merge the partitions by event time while keeping each partition's own order
    PriorityQueue<int[]> heads = new PriorityQueue<>(Comparator.comparingLong(
        (int[] h) -> byPartition.get(h[0]).get(h[1]).getTimestampMs()).thenComparingInt(h -> h[0]));
    for (int p = 0; p < byPartition.size(); p++) {
      heads.add(new int[] {p, 0});
    }
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    long sent = 0;
    long firstEventMs = Long.MIN_VALUE;
    long startNanos = nanoClock.getAsLong();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      while (!heads.isEmpty()) {
        int[] head = heads.poll();
        RecordedRecord r = byPartition.get(head[0]).get(head[1]);
        if (head[1] + 1 < byPartition.get(head[0]).size()) {
          heads.add(new int[] {head[0], head[1] + 1});
        }
        if (firstEventMs == Long.MIN_VALUE) {
          firstEventMs = r.getTimestampMs();
        }
        if (speed > 0) {
          long dueNanos = startNanos
              + (long) ((r.getTimestampMs() - firstEventMs) / speed * 1_000_000L);
          long waitNanos = dueNanos - nanoClock.getAsLong();
          if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
          }
        }
        byte[] value = r.getValue() == null ? null : reframe(reader, codec, topic, r);
        producer.send(new ProducerRecord<>(topic, null, r.getTimestampMs(), r.getKey(), value));
        sent++;
      }
      producer.flush();
    }
    return sent;
  }

  private static byte[] singleObject(
      AvroRecordCodec<? extends SpecificRecord> codec, ConsumerRecord<String, byte[]> r) {
    if (codec == null) {
      throw new IllegalArgumentException("no record type is known for topic " + r.topic());
    }
    return encodeAs(codecs(List.of(r.topic()), null).get(r.topic()), r.topic(),
        codec.decode(r.topic(), r.partition(), r.offset(), r.value()));
  }

  private static byte[] reframe(
      AvroRecordCodec<? extends SpecificRecord> reader, AvroRecordCodec<? extends SpecificRecord> writer,
      String topic, RecordedRecord r) {
    SpecificRecord value = reader.decode(topic, r.getPartition(), r.getOffset(), bytes(r.getValue()));
    return encodeAs(writer, topic, value);
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encodeAs(
      AvroRecordCodec<T> codec, String topic, SpecificRecord value) {
    return codec.encode(topic + "-value", (T) value);
  }

  /** The remaining bytes of {@code buffer}, which is left as it was. */
  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private static Map<String, AvroRecordCodec<? extends SpecificRecord>> codecs(
      List<String> topics, SchemaRegistryClient registry) {
    Map<String, AvroRecordCodec<? extends SpecificRecord>> codecs = new HashMap<>();
    for (String topic : topics) {
      Topics.TopicSpec<?> spec = Topics.ALL.stream().filter(t -> t.name().equals(topic)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "unknown topic " + topic + "; known: "
                  + Topics.ALL.stream().map(Topics.TopicSpec::name).toList()));
      codecs.put(topic, new AvroRecordCodec<>(spec.valueType(), registry));
    }
    return codecs;
  }
}
