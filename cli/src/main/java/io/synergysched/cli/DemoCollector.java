package io.synergysched.cli;

import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import io.synergysched.runtime.log.ThrottledWarnings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one demo run from the outside, as a client would see it: the routing decisions and the
 * engines' request events of the run's requests (by id prefix), read committed. Records it cannot
 * decode (another writer's, another framing) are counted and skipped; if the collector stops for
 * any other reason, {@link #failure()} says why and the run must not report as if all went well.
 * Thread-safe reads.
 */
final class DemoCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DemoCollector.class);

  /** What happened to one request. */
  static final class Outcome {
    volatile String engineId;
    volatile boolean shed;
    volatile boolean rejected;
    volatile boolean finished;
    volatile double ttftMs = Double.NaN;
    volatile double tpotMs = Double.NaN;
    volatile int outputTokens;
    volatile long finishedAtMs;
    volatile int sloTtftMs;
    volatile int sloTpotMs;

    boolean metSlo() {
      return finished && ttftMs <= sloTtftMs && (Double.isNaN(tpotMs) || tpotMs <= sloTpotMs);
    }
  }

  private final String prefix;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroRecordCodec<RoutingDecision> decisions;
  private final AvroRecordCodec<RequestEvent> events;
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final RegistryHold hold = new RegistryHold("demo-collector");
  private final Thread thread;
  private final AtomicLong undecodable = new AtomicLong();
  private final ThrottledWarnings warnings = ThrottledWarnings.perMinute(LOG);
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param group consumer group; a group without committed offsets reads the topics from their start
   */
  DemoCollector(Properties client, SchemaRegistryClient registry, String requestPrefix, String group) {
    this.prefix = requestPrefix;
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    decisions = new AvroRecordCodec<>(RoutingDecision.class, registry);
    events = new AvroRecordCodec<>(RequestEvent.class, registry);
    thread = new Thread(this::run, "demo-collector");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.ROUTING_DECISIONS.name(), Topics.ENGINE_REQUESTS.name()));
      while (running) {
        // a record whose schema the registry did not give is read again, not lost; one it
        // cannot decode at all is counted and skipped
        hold.each(consumer, hold.poll(consumer, Duration.ofMillis(200)), r -> {
          try {
            handle(r);
          } catch (UndecodableRecordException e) {
            undecodable.incrementAndGet();
            warnings.warn("demo collector skips records it cannot decode: " + e.reason(),
                r.topic() + "-" + r.partition() + "@" + r.offset());
          }
        });
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("demo collector stopped: the run's outcomes are no longer followed", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void handle(ConsumerRecord<String, byte[]> r) {
    if (r.topic().equals(Topics.ROUTING_DECISIONS.name())) {
      RoutingDecision d = decisions.decodeValue(r);
      if (d != null && d.getRequestId().startsWith(prefix)) {
        Outcome o = outcome(d.getRequestId());
        o.shed = d.getOutcome() == DecisionOutcome.SHED;
        o.engineId = d.getChosenEngineId();
      }
      return;
    }
    RequestEvent e = events.decodeValue(r);
    if (e == null || !e.getRequestId().startsWith(prefix)) {
      return;
    }
    Outcome o = outcome(e.getRequestId());
    o.engineId = e.getEngineId();
    if (e.getSloTtftMs() != null) {
      o.sloTtftMs = e.getSloTtftMs();
    }
    if (e.getSloTpotMs() != null) {
      o.sloTpotMs = e.getSloTpotMs();
    }
    if (e.getType() == RequestEventType.FIRST_TOKEN && e.getTtftUs() != null) {
      o.ttftMs = e.getTtftUs() / 1000.0;
    } else if (e.getType() == RequestEventType.FINISHED) {
      if (e.getTtftUs() != null) {
        o.ttftMs = e.getTtftUs() / 1000.0;
      }
      o.tpotMs = e.getTpotUs() == null ? Double.NaN : e.getTpotUs() / 1000.0;
      o.outputTokens = e.getOutputTokens();
      o.finishedAtMs = e.getEventTimeMs();
      o.finished = true;
    } else if (e.getType() == RequestEventType.REJECTED) {
      o.rejected = true;
    }
  }

  /** Why the collector stopped before it was closed, or null while it runs (or closed normally). */
  Throwable failure() {
    return failure;
  }

  /** Records skipped because they could not be decoded. */
  long undecodable() {
    return undecodable.get();
  }

  private Outcome outcome(String requestId) {
    return outcomes.computeIfAbsent(requestId, id -> new Outcome());
  }

  /** A copy of the outcomes seen so far. */
  List<Outcome> outcomes() {
    return new ArrayList<>(outcomes.values());
  }

  /** Ids and state of up to {@code limit} requests not ended yet, for the operator. */
  List<String> unended(int limit) {
    List<String> open = new ArrayList<>();
    outcomes.forEach((id, o) -> {
      if (!(o.finished || o.shed || o.rejected) && open.size() < limit) {
        open.add(id + (o.engineId == null ? " (no decision seen)" : " on " + o.engineId)
            + (Double.isNaN(o.ttftMs) ? "" : ", first token after " + Math.round(o.ttftMs) + " ms"));
      }
    });
    return open;
  }

  /** Requests that are decided and ended (finished, shed or rejected). */
  long ended() {
    return outcomes.values().stream().filter(o -> o.finished || o.shed || o.rejected).count();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
