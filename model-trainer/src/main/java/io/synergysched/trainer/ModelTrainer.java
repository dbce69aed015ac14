package io.synergysched.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.core.model.MaterialChangePolicy;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.topologies.TopicProvisioner;
import io.synergysched.topologies.query.EngineQueryHttpServer;
import io.synergysched.topologies.query.EngineQueryService;
import io.synergysched.topologies.telemetry.TelemetryTopology;
import io.synergysched.topologies.telemetry.TelemetryTopologyConfig;
import io.synergysched.trainer.dashboard.Dashboard;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running model-trainer: creates the topics it needs, runs the telemetry topology, and serves
 * interactive queries over HTTP. {@link #close()} stops both.
 */
public final class ModelTrainer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelTrainer.class);

  private final KafkaStreams streams;
  private final EngineQueryHttpServer http;
  private final EngineQueryService queries;
  private final Dashboard dashboard;
  private final HostInfo advertised;
  private final String scheme;
  private final Map<String, AtomicLong> restoredByStore = new ConcurrentHashMap<>();

  private ModelTrainer(ModelTrainerConfig config) throws IOException, InterruptedException {
    try (Admin admin = Admin.create(clientSettings(config))) {
      var created =
          TopicProvisioner.ensureTopics(admin, config.topicPartitions(), config.replicationFactor());
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
    }
    ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    http = new EngineQueryHttpServer(json, config.bindHost(), config.port(), config.http());
    advertised = new HostInfo(config.advertisedHost(), http.port());
    scheme = config.http().scheme();
    SchemaRegistryClient registry =
        config.schemaRegistryUrl() == null
            ? null
            : new SchemaRegistryClient(AvroSerdeConfig.withRegistry(config.schemaRegistryUrl()));
    TelemetryTopologyConfig topologyConfig =
        new TelemetryTopologyConfig(
            config.modelConfig(),
            MaterialChangePolicy.defaults(config.modelConfig()),
            Map.of(),
            TelemetryTopologyConfig.defaults().sloWindowSize(),
            TelemetryTopologyConfig.defaults().sloWindowGrace())
            .withLens(config.lens());
    streams = new KafkaStreams(TelemetryTopology.build(topologyConfig, registry), streamsSettings(config));
    streams.setGlobalStateRestoreListener(new CountingRestoreListener());
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("stream thread failed; replacing it", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    queries = new EngineQueryService(streams, advertised, json, Duration.ofSeconds(5), config.http());
    http.serve(queries, () -> streams.state().name());
    dashboard = Dashboard.start(json, http, queries, this::processedRecords, clientSettings(config), registry);
    streams.start();
    LOG.info("model-trainer {} serving queries on {}://{}", config.applicationId(),
        config.http().scheme(), advertised);
  }

  /**
   * Starts an instance.
   *
   * @throws IOException when the query port cannot be bound
   */
  public static ModelTrainer start(ModelTrainerConfig config) throws IOException, InterruptedException {
    return new ModelTrainer(config);
  }

  public EngineQueryService queries() {
    return queries;
  }

  /** {@code host:port} of this instance's query API, as advertised to the others. */
  public HostInfo advertised() {
    return advertised;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Records the stream threads processed since start (all source topics), from their
   * {@code process-total} metrics: how a benchmark or a health check sees ingest progress without
   * touching the stores.
   */
  public long processedRecords() {
    double total = 0;
    for (var metric : streams.metrics().entrySet()) {
      MetricName name = metric.getKey();
      if (name.group().equals("stream-thread-metrics") && name.name().equals("process-total")
          && metric.getValue().metricValue() instanceof Number value) {
        total += value.doubleValue();
      }
    }
    return (long) total;
  }

  /** Records restored from the changelog into {@code store} since start. */
  public long restoredRecords(String store) {
    AtomicLong count = restoredByStore.get(store);
    return count == null ? 0 : count.get();
  }

  /** The dashboard's address on this instance, e.g. {@code http://127.0.0.1:7070/dashboard/}. */
  public String dashboardUrl() {
    return scheme + "://" + advertised.host() + ":" + advertised.port() + Dashboard.PATH;
  }

  /** The Prometheus exposition text of this instance's metrics (also at {@code /metrics}). */
  public String scrapeMetrics() {
    return dashboard.metrics().scrape();
  }

  @Override
  public void close() {
    dashboard.close();
    http.close();
    streams.close(Duration.ofSeconds(30));
  }

  private static Properties clientSettings(ModelTrainerConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }

  private Properties streamsSettings(ModelTrainerConfig config) {
    Properties props = clientSettings(config);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.stateCacheBytes());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
    return props;
  }

  private final class CountingRestoreListener implements StateRestoreListener {
    @Override
    public void onRestoreStart(TopicPartition partition, String store, long start, long end) {}

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
      restoredByStore.computeIfAbsent(store, k -> new AtomicLong()).addAndGet(restored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      LOG.info("restored {} records of {} from {}", totalRestored, store, partition);
    }
  }
}
