package io.synergysched.router;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.EngineEligibility;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.runtime.records.CheckedRecordReader;
import io.synergysched.runtime.records.InferenceRequestRules;
import io.synergysched.runtime.records.RegistryHold;
import io.synergysched.runtime.responses.ErrorAnswers;
import io.synergysched.schemas.DeadLetterRecords;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router-consumer instance: a consumer group on the inbound requests; for each request a
 * routing decision by the configured profile (PRISM or a baseline, the same code the simulator
 * measures); the routed request, the decision's audit record (or a dead letter for an invalid
 * request) and the consumed offsets are written in one Kafka transaction, so each inbound request
 * ends with exactly one routed record and one decision record even when an instance dies
 * mid-transaction.
 *
 * <p>What the router sees: engine identity and liveness from the registry's heartbeats (an engine
 * silent for longer than the configured timeout, or retired, is never chosen); engine load from
 * the model-trainer's interactive queries, polled at a fixed interval like today's metric
 * scrapers; and, for routers that learn (PRISM), every step and request event from the telemetry
 * topics as they arrive, the same feed the simulator gives them after its telemetry delay. The
 * trainer's models seed the router's own models of each engine class (cold-start priors). PRISM
 * compares request arrival times with engine step times, so simulated engines should run at speed
 * 1 behind it.
 *
 * <p>This class is the loop and the transaction; its parts: {@link TelemetryFeed} (registry,
 * steps, request events), {@link EngineRoster} (the engines routed over), {@link
 * ColdStartPriors}, {@link DecisionRecords} (routed and audit records) and {@link RequestIds}; the
 * inbound requests are read by a {@link CheckedRecordReader} with {@link InferenceRequestRules}.
 */
public final class RouterConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RouterConsumer.class);
  static final String STAGE = "router-consumer/validate-request";
  private static final Duration FRESH_POLL = Duration.ofMillis(3);

  private final RouterConsumerConfig config;
  private final Router router;
  private final EngineRoster roster = new EngineRoster();
  private final RequestIds requestIds = new RequestIds();
  private final RegistryHold inboundHold = new RegistryHold("router-consumer/inbound");

  private final KafkaConsumer<String, byte[]> inbound;
  private final TelemetryFeed telemetry;
  private final KafkaProducer<String, byte[]> producer;
  private final TrainerSnapshotPoller poller;
  private final RouterMetrics metrics;
  private final CheckedRecordReader<InferenceRequest, InferenceRequest> requests;
  private final DecisionRecords decisions;
  private final AvroRecordCodec<DeadLetter> deadLetterCodec;
  private final ColdStartPriors priors;
  private final ReplyTopics replyTopics;
  private final Thread loop;
  private final long startedAtMs = System.currentTimeMillis();
  private final AtomicLong routed = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong aborted = new AtomicLong();
  private volatile boolean primed;
  private volatile boolean assigned;
  private long rebalances;
  private volatile boolean running = true;
  private volatile boolean crashBeforeNextCommit;
  private volatile Throwable failure;

  private RouterConsumer(RouterConsumerConfig config) throws IOException {
    this.config = config;
    this.router = RouterRegistry.create(config.policy());
    router.setTracing(true);
    SchemaRegistryClient registry = config.schemaRegistryUrl() == null
        ? null : new SchemaRegistryClient(AvroSerdeConfig.withRegistry(config.schemaRegistryUrl()));
    requests = CheckedRecordReader.checking(new AvroRecordCodec<>(InferenceRequest.class, registry),
        STAGE, (key, request) -> InferenceRequestRules.fieldProblem(request), System::currentTimeMillis);
    decisions = new DecisionRecords(config.instanceId(), startedAtMs, registry);
    deadLetterCodec = new AvroRecordCodec<>(DeadLetter.class, registry);
    priors = new ColdStartPriors(startedAtMs);

    Properties client = new Properties();
    client.putAll(config.kafka());
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());

    replyTopics = ReplyTopics.withAdmin(client);

    Properties in = new Properties();
    in.putAll(client);
    in.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    in.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    in.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    in.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // under a backlog, larger batches spread each transaction's fixed cost over more requests
    in.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    inbound = new KafkaConsumer<>(in, new StringDeserializer(), new ByteArrayDeserializer());

    Properties tel = new Properties();
    tel.putAll(client);
    tel.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    tel.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    telemetry = new TelemetryFeed(
        new KafkaConsumer<>(tel, new StringDeserializer(), new ByteArrayDeserializer()), registry,
        roster, router, requestIds, System::currentTimeMillis, config.instanceId());

    Properties out = new Properties();
    out.putAll(client);
    out.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "synergy-router-" + config.instanceId());
    out.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    out.put(ProducerConfig.ACKS_CONFIG, "all");
    out.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    out.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    // a transaction begun while the broker still writes the last one's markers is retried after
    // this backoff (CONCURRENT_TRANSACTIONS): the default 100 ms would stall every batch
    out.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "2");
    producer = new KafkaProducer<>(out, new StringSerializer(), new ByteArraySerializer());

    metrics = new RouterMetrics(config.policy(), config.metricsBind(), config.metricsPort(), config.http());
    poller = new TrainerSnapshotPoller(
        config.trainerUrl(), config.snapshotInterval(), System::currentTimeMillis, config.http());
    loop = new Thread(this::run, "router-" + config.instanceId());
  }

  /** Starts an instance; its thread routes until {@link #close()}. */
  public static RouterConsumer start(RouterConsumerConfig config) throws IOException {
    RouterConsumer consumer = new RouterConsumer(config);
    consumer.loop.start();
    return consumer;
  }

  public long routed() {
    return routed.get();
  }

  public long shed() {
    return shed.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }

  /** Transactions aborted and retried (broker trouble, fencing during a rebalance). */
  public long abortedTransactions() {
    return aborted.get();
  }

  /** Port of the Prometheus endpoint, or -1 when off. */
  public int metricsPort() {
    return metrics.port();
  }

  /**
   * Where the routing loop spends its time, per stage (count, p50, p99, max), for the load
   * command's latency breakdown; the same timers are on the metrics endpoint as
   * {@code synergy_router_stage_latency}.
   */
  public String stageSummary() {
    return metrics.stageSummary();
  }

  /** The Prometheus exposition text of this instance's metrics. */
  public String scrapeMetrics() {
    return metrics.scrape();
  }

  /**
   * True once the router knows live engines, has its priors, and has joined its group (so a
   * request sent from now on is routed even with {@code auto.offset.reset=latest}).
   */
  public boolean isRouting() {
    return primed && assigned;
  }

  /** The failure that stopped the routing thread, or null. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Times an inbound partition was held because the schema registry did not answer about a
   * request's schema id ({@link RegistryHold}).
   */
  public long registryHolds() {
    return inboundHold.holds();
  }

  /** Times a telemetry partition was held because the schema registry did not answer. */
  public long telemetryRegistryHolds() {
    return telemetry.registryHolds();
  }

  /** Telemetry records skipped as undecodable or breaking their type's rules. */
  public long skippedTelemetry() {
    return telemetry.skipped();
  }

  private void run() {
    try {
      producer.initTransactions();
      telemetry.assign();
      while (running) {
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        telemetry.read(primed ? Duration.ZERO : Duration.ofMillis(20));
        if (primed) {
          metrics.stage("loop.telemetry", System.nanoTime() - t0);
        }
        roster.apply(poller.latest());
        roster.refresh(now, config.engineTimeout().toMillis());
        if (!primed) {
          // requests wait in the topic until the router knows the engines and their models
          primed = primeModels(now);
          if (!primed) {
            continue;
          }
          inbound.subscribe(List.of(Topics.REQUESTS_INBOUND.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              rebalances++;
              inboundHold.revoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
              onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              rebalances++;
              assigned = true;
            }
          });
        }
        long t1 = System.nanoTime();
        ConsumerRecords<String, byte[]> batch =
            withFresh(inboundHold.poll(inbound, Duration.ofMillis(20)));
        metrics.stage("loop.poll", System.nanoTime() - t1);
        if (!batch.isEmpty()) {
          routeInTransaction(batch);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (SimulatedCrash e) {
      LOG.warn("router {} crashed (simulated) with a transaction open", config.instanceId());
      producer.close(Duration.ZERO);
      inbound.close(Duration.ZERO);
      telemetry.close(Duration.ZERO);
      replyTopics.close();
      return;
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("router {} stopped", config.instanceId(), e);
    }
    inbound.close(Duration.ofSeconds(5));
    telemetry.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
    replyTopics.close();
  }

  /**
   * A consumer returns what it fetched while the last transaction ran (it fetches ahead once per
   * poll), so a batch is a whole transaction old; what arrived meanwhile sits on the broker. One
   * short poll more fetches that too, and it goes into the same transaction instead of waiting
   * for the next one.
   */
  private ConsumerRecords<String, byte[]> withFresh(ConsumerRecords<String, byte[]> batch) {
    if (batch.isEmpty()) {
      return batch;
    }
    long before = rebalances;
    ConsumerRecords<String, byte[]> fresh = inbound.poll(FRESH_POLL);
    if (rebalances != before) {
      // the partitions moved: the first batch may no longer be ours, and positions were reset
      return fresh;
    }
    if (fresh.isEmpty()) {
      return batch;
    }
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> merged = new HashMap<>();
    for (ConsumerRecords<String, byte[]> part : List.of(batch, fresh)) {
      for (TopicPartition tp : part.partitions()) {
        merged.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(part.records(tp));
      }
    }
    return new ConsumerRecords<>(merged, Map.of());
  }

  /**
   * Gives the router its cold-start priors once, before the first request ({@link
   * ColdStartPriors}); false while it should wait for them.
   */
  private boolean primeModels(long now) {
    Optional<Map<String, StepLatencyPrior>> ready = priors.whenReady(roster, poller.latest(), now);
    if (ready.isEmpty()) {
      return false;
    }
    Map<String, StepLatencyPrior> byClass = ready.get();
    router.useEngineClassPriors(byClass::get);
    LOG.info("router {} ({}) starts with engines {} and priors for {}", config.instanceId(),
        router.name(), roster.engineIds(), byClass.keySet());
    return true;
  }

  /**
   * Routes a polled batch, then writes its records and offsets in one transaction. Deciding
   * before the transaction starts keeps the routing work out of it: the broker is still writing
   * the previous transaction's commit markers meanwhile, and a transaction begun while they are
   * pending is held back (CONCURRENT_TRANSACTIONS) until they are done.
   */
  private void routeInTransaction(ConsumerRecords<String, byte[]> batch) {
    long t0 = System.nanoTime();
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>(batch.count() * 2);
    long nowMs = System.currentTimeMillis();
    CheckedRecordReader.DeadLetterSink deadLetters = (key, letter) -> {
      deadLettered.incrementAndGet();
      metrics.deadLettered();
      out.add(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), key,
          deadLetterCodec.encode(Topics.DEAD_LETTERS.name() + "-value", letter)));
    };
    // a request whose schema the registry could not be asked about holds its partition: neither
    // it nor a later one of its partition is decided or committed in this transaction
    Map<TopicPartition, OffsetAndMetadata> next = inboundHold.each(inbound, batch, record -> {
      metrics.stage("inbound.age", Math.max(0, nowMs - record.timestamp()) * 1_000_000L);
      handle(record, out, deadLetters);
    });
    long t1 = System.nanoTime();
    metrics.stage("batch.decide", t1 - t0);
    if (next.isEmpty() && out.isEmpty()) {
      return; // every record held: nothing to write
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<String, byte[]> record : out) {
        producer.send(record);
      }
      long t2 = System.nanoTime();
      producer.sendOffsetsToTransaction(next, inbound.groupMetadata());
      long t3 = System.nanoTime();
      if (crashBeforeNextCommit) {
        throw new SimulatedCrash();
      }
      producer.commitTransaction();
      metrics.stage("txn.send", t2 - t1);
      metrics.stage("txn.offsets", t3 - t2);
      metrics.stage("txn.commit", System.nanoTime() - t3);
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e; // another instance took over, or we may not write: stop this one
    } catch (KafkaException e) {
      aborted.incrementAndGet();
      LOG.warn("aborting a routing transaction of {} requests: {}", batch.count(), e.toString());
      producer.abortTransaction();
      rewind(batch.partitions());
    }
  }

  /** After an abort, reads the batch again from the last committed offsets. */
  private void rewind(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = inbound.committed(partitions);
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata offset = committed.get(tp);
      if (offset != null) {
        inbound.seek(tp, offset.offset());
      } else {
        inbound.seekToBeginning(List.of(tp));
      }
    }
  }

  /** Routes one inbound request into {@code out}, or dead-letters it into {@code deadLetters}. */
  private void handle(ConsumerRecord<String, byte[]> record, List<ProducerRecord<String, byte[]>> out,
      CheckedRecordReader.DeadLetterSink deadLetters) {
    long started = System.nanoTime();
    InferenceRequest request = requests.read(record, deadLetters);
    if (request == null) {
      return;
    }
    long now = System.currentTimeMillis();
    if (ErrorAnswers.answered(request) && !replyTopics.exists(ErrorAnswers.replyTopic(request))) {
      deadLetters.deadLetter(record.key(), DeadLetterRecords.of(record, STAGE, "reply topic '"
          + ErrorAnswers.replyTopic(request) + "' does not exist: the answer would have nowhere to go",
          null, now));
      return;
    }
    String payloadProblem = InferenceRequestRules.payloadProblem(request);
    if (payloadProblem != null) {
      // dead-lettered like any invalid request, and answered: its client waits on the reply topic
      deadLetters.deadLetter(record.key(),
          DeadLetterRecords.of(record, STAGE, payloadProblem, null, now));
      out.add(decisions.invalidRequestAnswer(request, payloadProblem, now));
      return;
    }
    RoutingRequest routingRequest = new RoutingRequest(
        requestIds.of(request.getRequestId()),
        request.getArrivalTimeMs(),
        request.getPromptTokens(),
        request.getSloTtftMs(),
        request.getSloTpotMs(),
        request.getSessionId(),
        request.getPrefixBlockHashes().stream().mapToLong(Long::longValue).toArray());
    EngineEligibility.Result eligible = EngineEligibility.of(
        roster.engines(), request.getModel(), request.getPromptTokens(), request.getMaxOutputTokens());
    boolean refused = eligible.refusal() != null;
    int chosen = refused || eligible.engines().isEmpty()
        ? Router.SHED : router.route(routingRequest, eligible.engines());
    long latencyNanos = System.nanoTime() - started;
    TrainerSnapshotPoller.Snapshot applied = roster.appliedSnapshot();
    long snapshotAge = applied == null ? -1 : now - applied.fetchedAtMs();
    DecisionRecords.Decision decision = decisions.decide(request, chosen,
        refused ? null : router.lastTrace(), eligible, router.name(), now, snapshotAge, latencyNanos);
    if (decision.routed() == null) {
      shed.incrementAndGet();
      metrics.decided("shed", null, latencyNanos, snapshotAge);
    } else {
      routed.incrementAndGet();
      metrics.decided("routed", decision.routed().getEngineId(), latencyNanos, snapshotAge);
    }
    decisions.appendTo(out, decision);
  }

  /**
   * For fault tests: the instance dies like a killed process right after it has sent its next
   * batch's records and offsets, before committing them. The open transaction is never committed;
   * the broker aborts it when it times out, and another instance routes the batch again.
   */
  public void crashBeforeNextCommit() {
    crashBeforeNextCommit = true;
  }

  /** Thrown inside the routing loop by {@link #crashBeforeNextCommit()}. */
  private static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** True once the routing thread has ended (closed, crashed or failed). */
  public boolean isStopped() {
    return !loop.isAlive();
  }

  /** Stops routing; an open transaction is aborted (its requests go to another instance). */
  @Override
  public void close() {
    running = false;
    inbound.wakeup();
    telemetry.wakeup();
    try {
      loop.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    poller.close();
    metrics.close();
  }
}
