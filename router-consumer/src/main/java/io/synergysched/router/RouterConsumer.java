package io.synergysched.router;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyModelState;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.ProfileRouter;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.telemetry.RequestEventType;
import io.synergysched.schemas.CandidateScore;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.DeadLetterRecords;
import io.synergysched.schemas.DecisionOutcome;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import io.synergysched.topologies.query.EngineView;
import io.synergysched.topologies.telemetry.TelemetryMapping;
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
  private TrainerSnapshotPoller.Snapshot applied;
  private volatile boolean primed;
  private volatile boolean assigned;
  private long decisionSeq;
  private volatile boolean running = true;
  private volatile boolean crashBeforeNextCommit;
  private volatile Throwable failure;

  private RouterConsumer(RouterConsumerConfig config) throws IOException {
    this.config = config;
    this.router = RouterRegistry.create(config.policy());
    if (router instanceof ProfileRouter profile) {
      profile.setTracing(true);
    }
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
    inbound = new KafkaConsumer<>(in, new StringDeserializer(), new ByteArrayDeserializer());

    Properties tel = new Properties();
    tel.putAll(client);
    tel.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    telemetry = new KafkaConsumer<>(tel, new StringDeserializer(), new ByteArrayDeserializer());

    Properties out = new Properties();
    out.putAll(client);
    out.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "synergy-router-" + config.instanceId());
    out.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    out.put(ProducerConfig.ACKS_CONFIG, "all");
    out.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
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
        readTelemetry(primed ? Duration.ZERO : Duration.ofMillis(20));
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
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              assigned = true;
            }
          });
        }
        ConsumerRecords<String, byte[]> batch = inbound.poll(Duration.ofMillis(20));
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

  private void readTelemetry(Duration timeout) {
    for (ConsumerRecord<String, byte[]> r : telemetry.poll(timeout)) {
      if (r.key() == null) {
        continue;
      }
      try {
        if (r.topic().equals(Topics.ENGINE_REGISTRY.name())) {
          LiveEngine engine = engine(r.key());
          if (r.value() == null) {
            engine.retire();
          } else {
            engine.describe(descriptors.decodeValue(r));
          }
        } else if (r.topic().equals(Topics.ENGINE_STEPS.name())) {
          int index = indexOf(r.key());
          router.onStepVisible(index, TelemetryMapping.toObservation(steps.decodeValue(r)));
        } else {
          RequestEvent event = events.decodeValue(r);
          int index = indexOf(r.key());
          var core = toCore(event);
          router.onRequestEventVisible(index, core);
          if (core.type() == RequestEventType.FIRST_TOKEN
              || core.type() == RequestEventType.FINISHED
              || core.type() == RequestEventType.REJECTED) {
            // no proxy sits in the response path here: the engine's events are the responses
            router.onResponse(index, core);
          }
        }
      } catch (UndecodableRecordException e) {
        // the model-trainer dead-letters bad telemetry; the router only skips it
        LOG.debug("skipping undecodable telemetry: {}", e.getMessage());
      }
    }
  }

  private io.synergysched.core.telemetry.RequestEvent toCore(RequestEvent e) {
    return new io.synergysched.core.telemetry.RequestEvent(
        e.getEngineId(),
        requestId(e.getRequestId()),
        RequestEventType.valueOf(e.getType() == io.synergysched.schemas.RequestEventType.UNKNOWN
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
    for (EngineView view : latest.engines()) {
      if (view.status() != null) {
        engine(view.engineId()).observe(view.status());
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
      for (EngineView view : snapshot.engines()) {
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

  private void routeInTransaction(ConsumerRecords<String, byte[]> batch) {
    try {
      producer.beginTransaction();
      for (ConsumerRecord<String, byte[]> record : batch) {
        handle(record);
      }
      Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
      for (TopicPartition tp : batch.partitions()) {
        List<ConsumerRecord<String, byte[]>> records = batch.records(tp);
        next.put(tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
      }
      producer.sendOffsetsToTransaction(next, inbound.groupMetadata());
      if (crashBeforeNextCommit) {
        throw new SimulatedCrash();
      }
      producer.commitTransaction();
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

  private void handle(ConsumerRecord<String, byte[]> record) {
    long started = System.nanoTime();
    InferenceRequest request;
    try {
      request = requests.decodeValue(record);
    } catch (UndecodableRecordException e) {
      deadLetter(record, e.reason(), e);
      return;
    }
    String problem = request == null ? "null inference request" : problem(request);
    if (problem != null) {
      deadLetter(record, problem, null);
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
    ProfileRouter.DecisionTrace trace =
        router instanceof ProfileRouter profile ? profile.lastTrace() : null;
    List<CandidateScore> candidates = new ArrayList<>(engines.size());
    for (int k = 0; k < engines.size(); k++) {
      String removedBy = trace == null ? null : trace.removedBy()[k];
      double score = trace == null ? Double.NaN : trace.scores()[k];
      candidates.add(CandidateScore.newBuilder()
          .setEngineId(engines.get(k).engineId())
          .setFeasible(removedBy == null)
          .setFilteredBy(removedBy)
          .setScore(Double.isNaN(score) ? 0.0 : score)
          .build());
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
    if (chosen == Router.SHED) {
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
      producer.send(new ProducerRecord<>(Topics.REQUESTS_ROUTED.name(), engineId,
          routedCodec.encode(Topics.REQUESTS_ROUTED.name() + "-value", routedRequest)));
      routed.incrementAndGet();
      metrics.decided("routed", engineId, latencyNanos, snapshotAge);
    }
    producer.send(new ProducerRecord<>(Topics.ROUTING_DECISIONS.name(), topicKey,
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

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
    deadLettered.incrementAndGet();
    metrics.deadLettered();
    DeadLetter letter =
        DeadLetterRecords.of(record, STAGE, reason, cause, System.currentTimeMillis());
    producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), record.key(),
        deadLetterCodec.encode(Topics.DEAD_LETTERS.name() + "-value", letter)));
  }

  /**
   * For fault tests: the instance dies like a killed process right after it has sent its next
   * batch's records and offsets, before committing them. The open transaction is never committed;
   * the broker aborts it when it times out, and another instance routes the batch again.
   */
  void crashBeforeNextCommit() {
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
