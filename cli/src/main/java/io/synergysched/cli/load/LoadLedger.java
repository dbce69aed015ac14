package io.synergysched.cli.load;

import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Accounts for requests by id from the records themselves. While the load runs it reads the
 * routed topic on a thread of its own: the routing latency of a request is the time from its
 * arrival (the moment it was handed to the producer) to when its routed record became visible to
 * this consumer. At the end ({@link #awaitEnded}) it reads the inbound, routed, decision,
 * request-event and dead-letter topics from the offsets they had when it started (read_committed,
 * so what an aborted transaction wrote is never counted) and keeps per request id how many routed
 * records, decisions and terminal engine events it saw, and whether it was dead-lettered. Reading
 * the busy topics only at the end keeps the measurement's own cost out of the measured run.
 *
 * <p>Only the ids {@link LoadGenerator} gives a run ({@code prefix-N}) are counted, so a ledger
 * sees one run's requests on a shared cluster.
 */
public final class LoadLedger implements AutoCloseable {

  private static final List<String> TOPICS = List.of(
      Topics.REQUESTS_INBOUND.name(), Topics.REQUESTS_ROUTED.name(),
      Topics.ROUTING_DECISIONS.name(), Topics.ENGINE_REQUESTS.name(), Topics.DEAD_LETTERS.name());

  /** What happened to one request id. */
  static final class Entry {
    int inbound;
    int routed;
    int decisions;
    int shed;
    int finished;
    int rejected;
    int deadLetters;
    String deadLetterReason;
  }

  private final String prefix;
  private final Properties consumerSettings;
  private final Map<TopicPartition, Long> startOffsets;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroRecordCodec<RoutedRequest> routedCodec;
  private final AvroRecordCodec<RoutingDecision> decisionCodec;
  private final AvroRecordCodec<RequestEvent> eventCodec;
  private final AvroRecordCodec<DeadLetter> letterCodec;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Set<String> sighted = new java.util.HashSet<>();
  private final Map<String, Long> deadLettersByStage = new HashMap<>();
  private final Map<String, Long> shedReasons = new HashMap<>();
  /** Per routed record, first sighting: visible-at (epoch ms) and latency (ms), in poll order. */
  private long[] visibleAt = new long[1024];
  private long[] latency = new long[1024];
  private int sightings;
  /**
   * Per routed record, the latency split at the router's two timestamps (ms): produced to decided
   * (the request's routedAtMs), decided to sent (the routed record's timestamp, set when the
   * router hands it to its transactional producer), sent to visible here (the transaction's send,
   * offsets and commit, the broker's commit markers moving the last stable offset, this fetch).
   */
  private long[] toDecided = new long[1024];
  private long[] toSent = new long[1024];
  private long[] toVisible = new long[1024];
  private long undecodable;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts reading at the topics' current ends.
   *
   * @param client Kafka client settings (bootstrap servers, security)
   * @param registry schema registry, or null for single-object encoding
   * @param prefix only request ids starting with it are counted
   */
  public LoadLedger(Properties client, SchemaRegistryClient registry, String prefix) {
    this.prefix = prefix;
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    consumerSettings = props;
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    routedCodec = new AvroRecordCodec<>(RoutedRequest.class, registry);
    decisionCodec = new AvroRecordCodec<>(RoutingDecision.class, registry);
    eventCodec = new AvroRecordCodec<>(RequestEvent.class, registry);
    letterCodec = new AvroRecordCodec<>(DeadLetter.class, registry);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : TOPICS) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    startOffsets = Map.copyOf(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
    List<TopicPartition> routed = partitions.stream()
        .filter(tp -> tp.topic().equals(Topics.REQUESTS_ROUTED.name())).toList();
    consumer.assign(routed);
    routed.forEach(tp -> consumer.seek(tp, startOffsets.get(tp)));
    thread = new Thread(this::run, "load-ledger-" + prefix);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(50));
        long now = System.currentTimeMillis();
        synchronized (this) {
          for (ConsumerRecord<String, byte[]> r : records) {
            try {
              RoutedRequest routed = routedCodec.decodeValue(r);
              if (routed == null) {
                continue;
              }
              String id = routed.getRequest().getRequestId();
              if (mine(id) && sighted.add(id)) {
                sighting(now, now - routed.getRequest().getArrivalTimeMs());
                int i = sightings - 1;
                toDecided[i] = routed.getRoutedAtMs() - routed.getRequest().getArrivalTimeMs();
                toSent[i] = r.timestamp() - routed.getRoutedAtMs();
                toVisible[i] = now - r.timestamp();
              }
            } catch (UndecodableRecordException e) {
              // counted in the accounting pass
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void account(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      undecodable++;
      return;
    }
    switch (r.topic()) {
      case "synergy.requests.inbound" -> {
        if (mine(r.key())) {
          entry(r.key()).inbound++;
        }
      }
      case "synergy.requests.routed" -> {
        RoutedRequest routed = routedCodec.decodeValue(r);
        String id = routed.getRequest().getRequestId();
        if (mine(id)) {
          entry(id).routed++;
        }
      }
      case "synergy.routing.decisions" -> {
        if (mine(r.key())) {
          RoutingDecision d = decisionCodec.decodeValue(r);
          Entry e = entry(d.getRequestId());
          e.decisions++;
          if (d.getOutcome() == DecisionOutcome.SHED) {
            e.shed++;
            String reason = String.valueOf(d.getReason());
            shedReasons.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1L,
                Long::sum);
          }
        }
      }
      case "synergy.engine.requests" -> {
        RequestEvent event = eventCodec.decodeValue(r);
        if (mine(event.getRequestId())) {
          if (event.getType() == RequestEventType.FINISHED) {
            entry(event.getRequestId()).finished++;
          } else if (event.getType() == RequestEventType.REJECTED) {
            entry(event.getRequestId()).rejected++;
          }
        }
      }
      default -> {
        DeadLetter letter = letterCodec.decodeValue(r);
        String key = letter.getKey() == null ? r.key() : text(letter.getKey());
        if (mine(key)) {
          Entry e = entry(key);
          e.deadLetters++;
          e.deadLetterReason = letter.getError();
          deadLettersByStage.merge(letter.getStage(), 1L, Long::sum);
        }
      }
    }
  }

  private static String text(ByteBuffer bytes) {
    ByteBuffer copy = bytes.duplicate();
    byte[] b = new byte[copy.remaining()];
    copy.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private boolean mine(String id) {
    return LoadGenerator.isOfRun(prefix, id);
  }

  private Entry entry(String id) {
    return entries.computeIfAbsent(id, k -> new Entry());
  }

  private void sighting(long at, long latencyMs) {
    if (sightings == visibleAt.length) {
      visibleAt = Arrays.copyOf(visibleAt, sightings * 2);
      latency = Arrays.copyOf(latency, sightings * 2);
      toDecided = Arrays.copyOf(toDecided, sightings * 2);
      toSent = Arrays.copyOf(toSent, sightings * 2);
      toVisible = Arrays.copyOf(toVisible, sightings * 2);
    }
    visibleAt[sightings] = at;
    latency[sightings] = latencyMs;
    sightings++;
  }

  private static boolean ended(Entry e) {
    if (e.deadLetters > 0) {
      return true;
    }
    if (e.decisions == 0) {
      return false;
    }
    return e.routed == 0 || e.finished + e.rejected > 0;
  }

  /** Requests whose routed record was seen so far (live). */
  public synchronized long routed() {
    return sightings;
  }

  /**
   * Stops the live reading and accounts: reads every watched topic from where it stood when this
   * ledger started until every id in {@code expected} has ended, or no record arrived for
   * {@code quiet} (the pipeline has nothing more to say), or {@code limit} passed, or
   * {@code stop} holds. May be called again to read on.
   */
  public void awaitEnded(Collection<String> expected, Duration quiet, Duration limit,
      BooleanSupplier stop) {
    stopLive();
    synchronized (this) {
      entries.clear();
      deadLettersByStage.clear();
      shedReasons.clear();
      undecodable = 0;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    long lastRecord = System.nanoTime();
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.assign(startOffsets.keySet());
      startOffsets.forEach(reader::seek);
      while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
        var records = reader.poll(Duration.ofMillis(200));
        synchronized (this) {
          for (ConsumerRecord<String, byte[]> r : records) {
            try {
              account(r);
            } catch (UndecodableRecordException e) {
              undecodable++;
            }
          }
        }
        if (!records.isEmpty()) {
          lastRecord = System.nanoTime();
        } else if (allEnded(expected) || System.nanoTime() - lastRecord > quiet.toNanos()) {
          return;
        }
      }
    }
  }

  private synchronized boolean allEnded(Collection<String> expected) {
    for (String id : expected) {
      Entry e = entries.get(id);
      if (e == null || !ended(e)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The accounting of the requests the broker acknowledged ({@code acknowledged}) plus any other
   * id of this ledger's prefix that appeared on a topic.
   *
   * @param faultAtMs when a fault was injected (epoch ms), or -1: the report then says how long
   *     routing latency stayed disturbed after it
   * @param recoveredBelowMs the routing latency under which routing counts as recovered
   */
  public synchronized LoadReport report(Set<String> acknowledged, long producerFailures,
      double seconds, long faultAtMs, long recoveredBelowMs) {
    long in = 0;
    long routed = 0;
    long shed = 0;
    long finished = 0;
    long rejected = 0;
    long servedAfterRejection = 0;
    long deadLettered = 0;
    long duplicated = 0;
    long lost = 0;
    List<String> lostIds = new ArrayList<>();
    List<String> duplicatedIds = new ArrayList<>();
    Set<String> all = new java.util.HashSet<>(acknowledged);
    all.addAll(entries.keySet());
    for (String id : all) {
      Entry e = entries.getOrDefault(id, new Entry());
      in++;
      routed += e.routed > 0 ? 1 : 0;
      shed += e.shed > 0 ? 1 : 0;
      finished += e.finished > 0 ? 1 : 0;
      rejected += e.rejected > 0 && e.finished == 0 ? 1 : 0;
      servedAfterRejection += e.rejected > 0 && e.finished > 0 ? 1 : 0;
      deadLettered += e.deadLetters > 0 ? 1 : 0;
      if (e.routed > 1 || e.decisions > 1 || e.finished + e.rejected > 1 || e.deadLetters > 1) {
        duplicated++;
        if (duplicatedIds.size() < 10) {
          duplicatedIds.add(id);
        }
      }
      if (!ended(e)) {
        lost++;
        if (lostIds.size() < 10) {
          lostIds.add(id);
        }
      }
    }
    long[] lat = Arrays.copyOf(latency, sightings);
    long[] sorted = lat.clone();
    Arrays.sort(sorted);
    long recoveryMs = -1;
    long maxAfterFault = -1;
    if (faultAtMs >= 0) {
      long lastDisturbed = faultAtMs;
      for (int i = 0; i < sightings; i++) {
        if (visibleAt[i] >= faultAtMs) {
          maxAfterFault = Math.max(maxAfterFault, latency[i]);
          if (latency[i] >= recoveredBelowMs) {
            lastDisturbed = Math.max(lastDisturbed, visibleAt[i]);
          }
        }
      }
      recoveryMs = lastDisturbed - faultAtMs;
    }
    return new LoadReport(in, routed, shed, finished, rejected, servedAfterRejection, deadLettered, duplicated, lost,
        producerFailures, percentile(sorted, 0.50), percentile(sorted, 0.99),
        sorted.length == 0 ? -1 : sorted[sorted.length - 1], seconds, recoveryMs, maxAfterFault,
        Map.copyOf(deadLettersByStage), Map.copyOf(shedReasons), List.copyOf(lostIds), List.copyOf(duplicatedIds),
        undecodable);
  }

  /**
   * The routing latency of the requests seen so far split in stages: p50, p99 and max (ms) of
   * produced to decided, decided to sent and sent to visible, and of the whole, one a line.
   */
  public synchronized String stageSummary() {
    StringBuilder s = new StringBuilder();
    String[] names = {"produced->decided", "decided->sent", "sent->visible", "total"};
    long[][] columns = {toDecided, toSent, toVisible, latency};
    for (int k = 0; k < names.length; k++) {
      long[] sorted = Arrays.copyOf(columns[k], sightings);
      Arrays.sort(sorted);
      s.append(String.format(java.util.Locale.ROOT, "  %-18s p50 %5d ms  p99 %5d ms  max %5d ms%n",
          names[k], percentile(sorted, 0.50), percentile(sorted, 0.99),
          sorted.length == 0 ? -1 : sorted[sorted.length - 1]));
    }
    return s.toString();
  }

  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private void stopLive() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopLive();
  }
}
