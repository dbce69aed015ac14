package io.synergysched.cli.load;

import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Open-loop load: inference requests sent to the inbound topic at a fixed rate for a bounded
 * time, whatever the pipeline does with them (a slow pipeline does not slow the sender, as real
 * clients do not wait for each other). Each request has the id {@code prefix-N}; its arrival time
 * is the moment it is handed to the producer, so routing latency can be measured from the routed
 * record. Which ids the broker acknowledged and which the producer gave up on is kept for the
 * {@link LoadLedger}'s accounting.
 *
 * <p>Requests are small (prompts of 16 to 143 tokens, by default 1 to 4 output tokens) with
 * generous SLOs, so the engines are not the bottleneck and routing is the measured part.
 */
public final class LoadGenerator implements AutoCloseable {

  /**
   * How many requests per second, for how long, named how, and how long they run: output lengths
   * are spread over 1 to {@code maxOutputTokens} tokens.
   */
  public record Plan(String idPrefix, double ratePerSecond, long durationMs, int maxOutputTokens) {

    /** Short requests (1 to 4 output tokens): routing is the measured part. */
    public Plan(String idPrefix, double ratePerSecond, long durationMs) {
      this(idPrefix, ratePerSecond, durationMs, 4);
    }

    public Plan {
      if (maxOutputTokens < 1) {
        throw new IllegalArgumentException("maxOutputTokens must be positive, was " + maxOutputTokens);
      }
      if (!(ratePerSecond > 0) || ratePerSecond > 1_000_000) {
        throw new IllegalArgumentException("rate must be in (0, 1000000] requests/s, was " + ratePerSecond);
      }
      if (durationMs <= 0) {
        throw new IllegalArgumentException("duration must be positive, was " + durationMs + " ms");
      }
    }

    public long total() {
      return (long) Math.floor(ratePerSecond * durationMs / 1000.0);
    }
  }

  private final KafkaProducer<String, byte[]> producer;
  private final AvroRecordCodec<InferenceRequest> codec;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> failed = ConcurrentHashMap.newKeySet();
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean stopping;

  /**
   * @param client Kafka client settings (bootstrap servers, security); producer settings are added
   * @param codec how requests are encoded (single-object or with a schema registry)
   */
  public LoadGenerator(Properties client, AvroRecordCodec<InferenceRequest> codec) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.codec = codec;
  }

  /** The request with sequence number {@code n}: deterministic shape, arrival time {@code nowMs}. */
  public static InferenceRequest request(String id, long n, long nowMs, int maxOutputTokens) {
    int h = (int) ((n * 2_654_435_761L) >>> 7);
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setArrivalTimeMs(nowMs)
        .setPromptTokens(16 + Math.floorMod(h, 128))
        .setMaxOutputTokens(1 + Math.floorMod(h >>> 8, maxOutputTokens))
        .setSloTtftMs(5_000)
        .setSloTpotMs(500)
        .build();
  }

  /**
   * Sends the plan's requests at its rate and returns when the last is handed to the producer
   * (flushed), or when {@link #stop()} is called. {@code progress}, if not null, is called about
   * once a second with the number sent so far.
   *
   * @return the number of requests sent
   */
  public long run(Plan plan, Consumer<Long> progress) throws InterruptedException {
    long total = plan.total();
    long start = System.nanoTime();
    long lastProgress = start;
    long n = sent.get();
    long first = n;
    while (n - first < total && !stopping) {
      long elapsedNanos = System.nanoTime() - start;
      long due = Math.min(total, (long) (elapsedNanos / 1e9 * plan.ratePerSecond()));
      long now = System.currentTimeMillis();
      while (n - first < due) {
        String id = plan.idPrefix() + "-" + n;
        send(id, request(id, n, now, plan.maxOutputTokens()));
        n++;
      }
      if (progress != null && System.nanoTime() - lastProgress >= 1_000_000_000L) {
        lastProgress = System.nanoTime();
        progress.accept(n - first);
      }
      TimeUnit.MICROSECONDS.sleep(500);
    }
    producer.flush();
    return n - first;
  }

  /** Sends one record to the inbound topic as it is (for fault tests: bad ids, bad fields). */
  public void send(String key, InferenceRequest request) {
    sendRaw(key, codec.encode(Topics.REQUESTS_INBOUND.name() + "-value", request));
  }

  /** Sends raw bytes to the inbound topic under {@code key}, accounted like a request. */
  public void sendRaw(String key, byte[] value) {
    sent.incrementAndGet();
    producer.send(new ProducerRecord<>(Topics.REQUESTS_INBOUND.name(), key, value),
        (metadata, error) -> {
          if (error == null) {
            acknowledged.add(key);
          } else {
            failed.add(key);
          }
        });
  }

  /** Waits until every record sent so far is acknowledged or failed. */
  public void flush() {
    producer.flush();
  }

  /** Ends {@link #run} early (from another thread). */
  public void stop() {
    stopping = true;
  }

  /** Records handed to the producer. */
  public long sent() {
    return sent.get();
  }

  /** Ids of the run {@code prefix} the broker acknowledged: each must end with an outcome. */
  public Set<String> acknowledged(String prefix) {
    return ofRun(acknowledged, prefix);
  }

  /**
   * Ids of the run {@code prefix} the producer gave up on (the client saw the failure: not the
   * pipeline's loss).
   */
  public Set<String> failed(String prefix) {
    return ofRun(failed, prefix);
  }

  private static Set<String> ofRun(Set<String> ids, String prefix) {
    Set<String> run = new java.util.HashSet<>();
    for (String id : ids) {
      if (isOfRun(prefix, id)) {
        run.add(id);
      }
    }
    return run;
  }

  /** True for the ids this generator gives the run {@code prefix}: the prefix, a dash, a number. */
  public static boolean isOfRun(String prefix, String id) {
    if (id == null || id.length() <= prefix.length() + 1 || !id.startsWith(prefix)
        || id.charAt(prefix.length()) != '-') {
      return false;
    }
    for (int i = prefix.length() + 1; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    producer.close();
  }
}
