package io.synergysched.cli.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The least an exactly-once routing step can cost on a cluster: transactions one at a time, each
 * with one record, the consumed offsets and the commit (the router's producer settings), and the
 * time until a read_committed consumer (the ledger's settings) sees the record. Nothing else runs
 * in the pipeline meanwhile, so this is the floor under the routing latency the load measures.
 */
public final class TransactionFloor {

  /** The topic it writes to (one partition, created when missing). */
  public static final String TOPIC = "synergy.load.transaction-floor";

  private TransactionFloor() {}

  /** Percentiles (ms) of one stage over the measured transactions. */
  public record Stage(String name, double p50Ms, double p99Ms, double maxMs) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "  %-28s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms",
          name, p50Ms, p99Ms, maxMs);
    }
  }

  /**
   * Runs {@code transactions} transactions (after a tenth as many unmeasured, to warm up) and
   * returns the stages: send, sendOffsetsToTransaction, commitTransaction, and send to visible.
   *
   * @param client Kafka client settings (bootstrap servers, security)
   * @param runId makes the transactional id and group of this measurement unique
   */
  public static List<Stage> measure(Properties client, String runId, int transactions)
      throws InterruptedException, ExecutionException {
    if (transactions < 1) {
      throw new IllegalArgumentException("transactions must be positive, was " + transactions);
    }
    try (Admin admin = Admin.create(client)) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "synergy-load-floor-" + runId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "2");
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    ConsumerGroupMetadata group = new ConsumerGroupMetadata("synergy-load-floor-" + runId);
    int warmup = Math.max(1, transactions / 10);
    int total = warmup + transactions;
    long[][] stages = new long[4][transactions];
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      producer.initTransactions();
      consumer.assign(List.of(tp));
      consumer.seekToEnd(List.of(tp));
      long offset = consumer.position(tp);
      for (int i = 0; i < total; i++) {
        long t0 = System.nanoTime();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, new byte[16]));
        long t1 = System.nanoTime();
        producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(++offset)), group);
        long t2 = System.nanoTime();
        producer.commitTransaction();
        long t3 = System.nanoTime();
        long deadline = t3 + Duration.ofSeconds(30).toNanos();
        while (consumer.poll(Duration.ofMillis(50)).isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("a committed record stayed invisible for 30 s");
          }
        }
        long t4 = System.nanoTime();
        if (i >= warmup) {
          int k = i - warmup;
          stages[0][k] = t1 - t0;
          stages[1][k] = t2 - t1;
          stages[2][k] = t3 - t2;
          stages[3][k] = t4 - t0;
        }
      }
    }
    String[] names = {"begin + send", "sendOffsetsToTransaction", "commitTransaction",
        "send to visible (whole)"};
    Stage[] out = new Stage[names.length];
    for (int s = 0; s < names.length; s++) {
      long[] sorted = stages[s].clone();
      Arrays.sort(sorted);
      out[s] = new Stage(names[s], sorted[(int) Math.ceil(0.5 * sorted.length) - 1] / 1e6,
          sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
    }
    return List.of(out);
  }
}
