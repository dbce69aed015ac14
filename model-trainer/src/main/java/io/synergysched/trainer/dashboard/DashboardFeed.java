package io.synergysched.trainer.dashboard;

import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.SloWindow;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the dashboard shows from Kafka, outside any consumer group (every instance sees every
 * record; nothing is committed): the routing audit, SLO windows and dead letters from {@code
 * history} ago on, every LENS hint of the compacted control topic, new model snapshots. Each poll's
 * records are decoded on this thread and handed over as one batch; a record that cannot be decoded
 * is counted and skipped (its producer dead-letters its own bad input; this is only a reader).
 */
final class DashboardFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

  /** One decoded record: its topic, key and value (null for a tombstone). */
  record Event(String topic, String key, Object value) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, AvroRecordCodec<?>> codecs = new HashMap<>();
  private final Consumer<List<Event>> sink;
  private final Duration history;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long undecodable;
  private final RegistryHold hold = new RegistryHold("model-trainer/dashboard-feed");

  DashboardFeed(Properties client, SchemaRegistryClient registry, Duration history,
      Consumer<List<Event>> sink) {
    this.sink = sink;
    this.history = history;
    codecs.put(Topics.ROUTING_DECISIONS.name(), new AvroRecordCodec<>(RoutingDecision.class, registry));
    codecs.put(Topics.SLO_WINDOWS.name(), new AvroRecordCodec<>(SloWindow.class, registry));
    codecs.put(Topics.DEAD_LETTERS.name(), new AvroRecordCodec<>(DeadLetter.class, registry));
    codecs.put(Topics.CONTROL_LENS.name(), new AvroRecordCodec<>(LensHint.class, registry));
    codecs.put(Topics.MODELS.name(), null);
    Properties props = new Properties();
    props.putAll(client);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "synergy-dashboard-feed");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::run, "synergy-dashboard-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Records skipped because they could not be decoded. */
  long undecodable() {
    return undecodable;
  }

  private void run() {
    try {
      position();
      while (running) {
        ConsumerRecords<byte[], byte[]> records = hold.poll(consumer, Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        List<Event> batch = new ArrayList<>(records.count());
        hold.each(consumer, records, r -> {
          String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          AvroRecordCodec<?> codec = codecs.get(r.topic());
          if (codec == null || r.value() == null) {
            batch.add(new Event(r.topic(), key, null));
            return;
          }
          try {
            batch.add(new Event(r.topic(), key,
                codec.decode(r.topic(), r.partition(), r.offset(), r.value())));
          } catch (UndecodableRecordException e) {
            undecodable++;
            LOG.debug("dashboard skips an undecodable record: {}", e.getMessage());
          }
        });
        sink.accept(batch);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.warn("dashboard feed stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Compacted control topic from its start, models from now, the others from history ago. */
  private void position() {
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : codecs.keySet()) {
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        all.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(all);
    Map<TopicPartition, Long> since = new HashMap<>();
    long from = System.currentTimeMillis() - history.toMillis();
    for (TopicPartition tp : all) {
      if (tp.topic().equals(Topics.CONTROL_LENS.name())) {
        consumer.seekToBeginning(List.of(tp));
      } else if (tp.topic().equals(Topics.MODELS.name())) {
        consumer.seekToEnd(List.of(tp));
      } else {
        since.put(tp, from);
      }
    }
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since);
    for (TopicPartition tp : since.keySet()) {
      OffsetAndTimestamp at = found.get(tp);
      if (at == null) {
        consumer.seekToEnd(List.of(tp));
      } else {
        consumer.seek(tp, at.offset());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
