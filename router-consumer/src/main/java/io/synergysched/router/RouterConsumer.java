package io.synergysched.router;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.DecisionTrace;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.core.telemetry.StepObservationValidator;
import io.synergysched.schemas.CandidateScore;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DeadLetterRecords;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.runtime.mapping.TelemetryMapping;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class RouterConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RouterConsumer.class);
  static final String STAGE = "router-consumer/validate-request";
  private static final int REMEMBERED_IDS = 1_000_000;
  private static final double PRIOR_PSEUDO_OBSERVATIONS = 50;
  private static final Duration PRIOR_WAIT = Duration.ofSeconds(10);
  private static final int TELEMETRY_POLLS_PER_LOOP = 20;
  private static final Duration FRESH_POLL = Duration.ofMillis(3);

  private final RouterConsumerConfig config;
  private final Router router;
  private final List<LiveEngine> engines = new ArrayList<>();
  private final Map<String, Integer> engineIndex = new HashMap<>();
  private final Map<String, Long> requestIds =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED_IDS;
        }
      };
  private long nextRequestId;

  private final KafkaConsumer<String, byte[]> inbound;
  private final KafkaConsumer<String, byte[]> telemetry;
  private final KafkaProducer<String, byte[]> producer;
  private final TrainerSnapshotPoller poller;
  private final RouterMetrics metrics;
  private final AvroRecordCodec<InferenceRequest> requests;
  private final AvroRecordCodec<StepTelemetry> steps;
  private final AvroRecordCodec<RequestEvent> events;
  private final AvroRecordCodec<EngineDescriptor> descriptors;
  private final AvroRecordCodec<RoutedRequest> routedCodec;
  private final AvroRecordCodec<RoutingDecision> decisionCodec;
  private final AvroRecordCodec<DeadLetter> deadLetterCodec;
  private final Thread loop;
  private final long startedAtMs = System.currentTimeMillis();
  private final AtomicLong routed = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong aborted = new AtomicLong();
  private final AtomicLong skippedTelemetry = new AtomicLong();
  private TrainerSnapshotPoller.Snapshot applied;
  private volatile boolean primed;
  private volatile boolean assigned;
  private long decisionSeq;
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
    requests = new AvroRecordCodec<>(InferenceRequest.class, registry);
    steps = new AvroRecordCodec<>(StepTelemetry.class, registry);
    events = new AvroRecordCodec<>(RequestEvent.class, registry);
    descriptors = new AvroRecordCodec<>(EngineDescriptor.class, registry);
    routedCodec = new AvroRecordCodec<>(RoutedRequest.class, registry);
    decisionCodec = new AvroRecordCodec<>(RoutingDecision.class, registry);
    deadLetterCodec = new AvroRecordCodec<>(DeadLetter.class, registry);

    Properties client = new Properties();
    client.putAll(config.kafka());
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());

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
    telemetry = new KafkaConsumer<>(tel, new StringDeserializer(), new ByteArrayDeserializer());

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

  private void run() {
    try {
      producer.initTransactions();
      assignTelemetry();
      while (running) {
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        readTelemetry(primed ? Duration.ZERO : Duration.ofMillis(20));
        if (primed) {
          metrics.stage("loop.telemetry", System.nanoTime() - t0);
        }
        applySnapshot(now);
        for (LiveEngine engine : engines) {
          engine.refresh(now, config.engineTimeout().toMillis());
        }
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
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              rebalances++;
              assigned = true;
            }
          });
        }
        long t1 = System.nanoTime();
        ConsumerRecords<String, byte[]> batch = withFresh(inbound.poll(Duration.ofMillis(20)));
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
      return;
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("router {} stopped", config.instanceId(), e);
    }
    inbound.close(Duration.ofSeconds(5));
    telemetry.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
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

  /** The registry from its start (every engine that ever registered), the telemetry from now. */
  private void assignTelemetry() {
    List<TopicPartition> registry = partitions(Topics.ENGINE_REGISTRY.name());
    List<TopicPartition> live = new ArrayList<>(partitions(Topics.ENGINE_STEPS.name()));
    live.addAll(partitions(Topics.ENGINE_REQUESTS.name()));
    List<TopicPartition> all = new ArrayList<>(registry);
    all.addAll(live);
    telemetry.assign(all);
    telemetry.seekToBeginning(registry);
    telemetry.seekToEnd(live);
  }

  private List<TopicPartition> partitions(String topic) {
    List<TopicPartition> list = new ArrayList<>();
    telemetry.partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(info -> list.add(new TopicPartition(topic, info.partition())));
    return list;
  }

  /**
   * Reads the registry and telemetry that arrived, until caught up (at most
   * {@value #TELEMETRY_POLLS_PER_LOOP} polls): under heavy load the request events come by the
   * ten thousand a second, and heartbeats read late would make live engines look dead.
   */
  private void readTelemetry(Duration timeout) {
    ConsumerRecords<String, byte[]> records = telemetry.poll(timeout);
    for (int polls = 1; ; polls++) {
      readTelemetry(records);
      if (records.isEmpty() || polls == TELEMETRY_POLLS_PER_LOOP) {
        return;
      }
      records = telemetry.poll(Duration.ZERO);
    }
  }

  /**
   * Applies telemetry records. Telemetry is input from outside: a record that cannot be decoded,
   * fails the model-trainer's plausibility rules, or names an engine the registry never described
   * is skipped (the model-trainer dead-letters the bad ones), and nothing in one record can stop
   * the router.
   */
  private void readTelemetry(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> r : records) {
      if (r.key() == null) {
        continue;
      }
      try {
        if (r.topic().equals(Topics.ENGINE_REGISTRY.name())) {
          if (r.value() == null) {
            Integer index = engineIndex.get(r.key());
            if (index != null) {
              engines.get(index).retire();
            }
            continue;
          }
          EngineDescriptor descriptor = descriptors.decodeValue(r);
          String problem = descriptorProblem(r.key(), descriptor);
          if (problem != null) {
            skipTelemetry(r, problem);
          } else {
            engine(r.key()).describe(descriptor, System.currentTimeMillis());
          }
          continue;
        }
        Integer index = engineIndex.get(r.key());
        if (index == null || !engines.get(index).isDescribed() || r.value() == null) {
          continue; // not an engine of this cluster (yet), or a tombstone where none belongs
        }
        if (r.topic().equals(Topics.ENGINE_STEPS.name())) {
          StepObservation step = TelemetryMapping.toObservation(steps.decodeValue(r));
          String problem = StepObservationValidator.problem(step);
          if (problem == null && !r.key().equals(step.engineId())) {
            problem = "record key is not the step's engineId";
          }
          if (problem != null) {
            skipTelemetry(r, problem);
            continue;
          }
          router.onStepVisible(index, step);
        } else {
          RequestEvent event = events.decodeValue(r);
          if (!r.key().equals(event.getEngineId()) || event.getEventTimeMs() < 0
              || event.getPromptTokens() < 0 || event.getOutputTokens() < 0
              || event.getCachedPromptTokens() < 0) {
            skipTelemetry(r, "implausible request event");
            continue;
          }
          var core = toCore(event);
          router.onRequestEventVisible(index, core);
          if (core.type() == RequestPhase.FIRST_TOKEN
              || core.type() == RequestPhase.FINISHED
              || core.type() == RequestPhase.REJECTED) {
            // no proxy sits in the response path here: the engine's events are the responses
            router.onResponse(index, core);
          }
        }
      } catch (UndecodableRecordException e) {
        skipTelemetry(r, e.getMessage());
      } catch (RuntimeException e) {
        // a record the rules above let through and the router could not use: skip it, keep routing
        skipTelemetry(r, e.toString());
      }
    }
  }

  /** Why a registry record cannot describe an engine, or null. */
  static String descriptorProblem(String key, EngineDescriptor d) {
    if (!key.equals(d.getEngineId())) {
      return "record key is not the descriptor's engineId";
    }
    if (d.getTensorParallel() <= 0 || d.getKvBlocksTotal() <= 0 || d.getBlockSizeTokens() <= 0
        || d.getMaxNumSeqs() <= 0 || d.getMaxNumBatchedTokens() <= 0 || d.getMaxModelLen() <= 0) {
      return "non-positive engine capacity";
    }
    if (d.getHeartbeatMs() < 0 || d.getStartedAtMs() < 0) {
      return "negative time";
    }
    return null;
  }

  private void skipTelemetry(ConsumerRecord<String, byte[]> r, String why) {
    long n = skippedTelemetry.incrementAndGet();
    if (n <= 20 || n % 1000 == 0) {
      LOG.warn("router {} skips telemetry {}-{}@{} ({} so far): {}", config.instanceId(),
          r.topic(), r.partition(), r.offset(), n, why);
    }
  }

  /** Telemetry records skipped as undecodable or implausible. */
  public long skippedTelemetry() {
    return skippedTelemetry.get();
  }

  private RequestObservation toCore(RequestEvent e) {
    return new RequestObservation(
        e.getEngineId(),
        requestId(e.getRequestId()),
        RequestPhase.valueOf(e.getType() == RequestEventType.UNKNOWN
            ? "QUEUED" : e.getType().name()),
        e.getEventTimeMs(),
        e.getPromptTokens(),
        e.getOutputTokens(),
        e.getCachedPromptTokens());
  }

  private long requestId(String id) {
    return requestIds.computeIfAbsent(id, k -> ++nextRequestId);
  }

  private LiveEngine engine(String engineId) {
    return engines.get(indexOf(engineId));
  }

  /** Engines keep the index they got when first seen, so the router's callbacks stay aligned. */
  private int indexOf(String engineId) {
    Integer index = engineIndex.get(engineId);
    if (index == null) {
      index = engines.size();
      engines.add(new LiveEngine(engineId));
      engineIndex.put(engineId, index);
    }
    return index;
  }

  private void applySnapshot(long now) {
    TrainerSnapshotPoller.Snapshot latest = poller.latest();
    if (latest == null || latest == applied) {
      return;
    }
    for (EngineSnapshot view : latest.engines()) {
      Integer index = engineIndex.get(view.engineId());
      if (view.status() != null && index != null) {
        engines.get(index).observe(view.status());
      }
    }
    applied = latest;
  }

  /**
   * Gives the router its cold-start priors once, before the first request: the model-trainer's
   * current model of an engine of each class, worth {@value #PRIOR_PSEUDO_OBSERVATIONS} steps.
   * Waits for a first snapshot and a first live engine, at most {@link #PRIOR_WAIT} for the
   * models; after that it routes with what it has.
   */
  private boolean primeModels(long now) {
    boolean anyAlive = engines.stream().anyMatch(LiveEngine::available);
    if (!anyAlive) {
      return false;
    }
    TrainerSnapshotPoller.Snapshot snapshot = poller.latest();
    if (snapshot == null && now - startedAtMs < PRIOR_WAIT.toMillis()) {
      return false;
    }
    Map<String, StepLatencyPrior> priors = new HashMap<>();
    if (snapshot != null) {
      StepLatencyModelConfig modelConfig = StepLatencyModelConfig.defaults();
      for (EngineSnapshot view : snapshot.engines()) {
        Integer index = engineIndex.get(view.engineId());
        StepLatencyModelState state = view.decodeModelState();
        if (index == null || state == null || state.sampleCount() < modelConfig.warmSamples()) {
          continue;
        }
        LiveEngine engine = engines.get(index);
        String key = StepLatencyPrior.classKey(engine.gpu(), engine.model(), engine.tensorParallel());
        priors.computeIfAbsent(key, k -> new StepLatencyPrior(k,
            StepLatencyModel.fromState(state, modelConfig).priorState(k, PRIOR_PSEUDO_OBSERVATIONS),
            PRIOR_PSEUDO_OBSERVATIONS, state.sampleCount(), state.recentR2(), state.recentMape()));
      }
    }
    router.useEngineClassPriors(priors::get);
    LOG.info("router {} ({}) starts with engines {} and priors for {}", config.instanceId(),
        router.name(), engineIndex.keySet(), priors.keySet());
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
    for (ConsumerRecord<String, byte[]> record : batch) {
      metrics.stage("inbound.age", Math.max(0, nowMs - record.timestamp()) * 1_000_000L);
      handle(record, out);
    }
    long t1 = System.nanoTime();
    metrics.stage("batch.decide", t1 - t0);
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition tp : batch.partitions()) {
      List<ConsumerRecord<String, byte[]>> records = batch.records(tp);
      next.put(tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
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

  private void handle(ConsumerRecord<String, byte[]> record, List<ProducerRecord<String, byte[]>> out) {
    long started = System.nanoTime();
    InferenceRequest request;
    try {
      request = requests.decodeValue(record);
    } catch (UndecodableRecordException e) {
      out.add(deadLetter(record, e.reason(), e));
      return;
    }
    String problem = request == null ? "null inference request" : problem(request);
    if (problem != null) {
      out.add(deadLetter(record, problem, null));
      return;
    }
    long now = System.currentTimeMillis();
    RoutingRequest routingRequest = new RoutingRequest(
        requestId(request.getRequestId()),
        request.getArrivalTimeMs(),
        request.getPromptTokens(),
        request.getSloTtftMs(),
        request.getSloTpotMs(),
        request.getSessionId(),
        request.getPrefixBlockHashes().stream().mapToLong(Long::longValue).toArray());
    int chosen = engines.isEmpty() ? Router.SHED : router.route(routingRequest, engines);
    long latencyNanos = System.nanoTime() - started;
    long snapshotAge = applied == null ? -1 : now - applied.fetchedAtMs();
    String decisionId = config.instanceId() + "-" + startedAtMs + "-" + (++decisionSeq);
    DecisionTrace trace = router.lastTrace();
    List<CandidateScore> candidates = new ArrayList<>(engines.size());
    for (int k = 0; k < engines.size(); k++) {
      String removedBy = trace == null ? null : trace.removedBy()[k];
      double score = trace == null ? Double.NaN : trace.scores()[k];
      // setters, not a builder: a builder deep-copies every default, per engine per request
      CandidateScore candidate = new CandidateScore();
      candidate.setEngineId(engines.get(k).engineId());
      candidate.setFeasible(removedBy == null);
      candidate.setFilteredBy(removedBy);
      candidate.setScore(Double.isNaN(score) ? 0.0 : score);
      candidate.setModelVersion(-1L);
      candidates.add(candidate);
    }
    RoutingDecision.Builder decision = RoutingDecision.newBuilder()
        .setDecisionId(decisionId)
        .setRequestId(request.getRequestId())
        .setPolicy(router.name())
        .setDecidedAtMs(now)
        .setSnapshotAgeMs(snapshotAge)
        .setDecisionLatencyUs(latencyNanos / 1000)
        .setCandidates(candidates);
    String topicKey = request.getRequestId();
    // This consumer keeps no held queue: a request the router holds (Router.HOLD) is shed here.
    if (chosen == Router.SHED || chosen == Router.HOLD) {
      shed.incrementAndGet();
      decision.setOutcome(DecisionOutcome.SHED)
          .setReason(trace != null && trace.shedReason() != null
              ? "no feasible engine: " + trace.shedReason()
              : "predicted to miss its SLO on every engine");
      metrics.decided("shed", null, latencyNanos, snapshotAge);
    } else {
      String engineId = engines.get(chosen).engineId();
      decision.setOutcome(DecisionOutcome.ROUTED).setChosenEngineId(engineId);
      RoutedRequest routedRequest = RoutedRequest.newBuilder()
          .setEngineId(engineId)
          .setDecisionId(decisionId)
          .setRoutedAtMs(now)
          .setPolicy(router.name())
          .setRequest(request)
          .build();
      out.add(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engineId,
          routedCodec.encode(Topics.REQUESTS_ROUTED.name() + "-value", routedRequest)));
      routed.incrementAndGet();
      metrics.decided("routed", engineId, latencyNanos, snapshotAge);
    }
    out.add(new ProducerRecord<>(Topics.ROUTING_DECISIONS.name(), topicKey,
        decisionCodec.encode(Topics.ROUTING_DECISIONS.name() + "-value", decision.build())));
  }

  /** Why a request cannot be routed, or null. */
  static String problem(InferenceRequest r) {
    if (r.getRequestId().isBlank()) {
      return "requestId is empty";
    }
    if (r.getRequestId().length() > 256) {
      return "requestId longer than 256 characters";
    }
    if (r.getPromptTokens() <= 0 || r.getPromptTokens() > 10_000_000) {
      return "promptTokens must be in [1, 10000000], was " + r.getPromptTokens();
    }
    if (r.getMaxOutputTokens() <= 0 || r.getMaxOutputTokens() > 10_000_000) {
      return "maxOutputTokens must be in [1, 10000000], was " + r.getMaxOutputTokens();
    }
    if (r.getSloTtftMs() == null || r.getSloTpotMs() == null) {
      return "missing SLO: sloTtftMs and sloTpotMs are required";
    }
    if (r.getSloTtftMs() <= 0 || r.getSloTpotMs() <= 0) {
      return "SLO targets must be positive";
    }
    if (r.getSloTtftMs() > 86_400_000 || r.getSloTpotMs() > 86_400_000) {
      return "SLO targets beyond a day";
    }
    if (r.getPrefixBlockHashes() != null && r.getPrefixBlockHashes().size() > r.getPromptTokens()) {
      return "more prefix block hashes (" + r.getPrefixBlockHashes().size() + ") than prompt tokens";
    }
    if (r.getSessionId() != null && r.getSessionId().length() > 1024) {
      return "sessionId longer than 1024 characters";
    }
    if (r.getArrivalTimeMs() < 0) {
      return "arrivalTimeMs is negative";
    }
    return null;
  }

  private ProducerRecord<String, byte[]> deadLetter(
      ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
    deadLettered.incrementAndGet();
    metrics.deadLettered();
    DeadLetter letter =
        DeadLetterRecords.of(record, STAGE, reason, cause, System.currentTimeMillis());
    return new ProducerRecord<>(Topics.DEAD_LETTERS.name(), record.key(),
        deadLetterCodec.encode(Topics.DEAD_LETTERS.name() + "-value", letter));
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
