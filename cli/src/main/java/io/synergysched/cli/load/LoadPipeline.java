package io.synergysched.cli.load;

import io.synergysched.connector.EngineConnector;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.connector.EngineConnectorConfig;
import io.synergysched.router.RouterConsumer;
import io.synergysched.router.RouterConsumerConfig;
import io.synergysched.trainer.ModelTrainer;
import io.synergysched.trainer.ModelTrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The control plane a load runs through, each service started on its own so a fault test can
 * stop and replace any one: model-trainers, engine-connectors with simulated engines, and
 * router-consumers, all on one Kafka cluster. {@link #close()} stops whatever is still running.
 */
public final class LoadPipeline implements AutoCloseable {

  private final String bootstrapServers;
  private final String runId;
  private final Path stateDir;
  private final Map<String, String> settings;
  private final List<AutoCloseable> services = new ArrayList<>();

  /**
   * @param settings given to every service; without {@code synergy.http.auth} or
   *     {@code synergy.http.token} the services' HTTP endpoints get a random bearer token of this
   *     run ({@link #httpToken()})
   */
  public LoadPipeline(String bootstrapServers, String runId, Path stateDir,
      Map<String, String> settings) {
    this.bootstrapServers = bootstrapServers;
    this.runId = runId;
    this.stateDir = stateDir;
    Map<String, String> all = new HashMap<>(settings);
    if (!all.containsKey(HttpAccess.AUTH) && !all.containsKey(HttpAccess.TOKEN)) {
      all.put(HttpAccess.TOKEN, HttpAccess.randomToken());
    }
    this.settings = Map.copyOf(all);
  }

  /** The bearer token of the services' HTTP endpoints, or null when none is set. */
  public String httpToken() {
    return settings.get(HttpAccess.TOKEN);
  }

  /** Kafka client settings for the load's own producer and ledger. */
  public Properties clientProperties() {
    Properties props = new Properties();
    settings.forEach((k, v) -> {
      if (k.startsWith("kafka.")) {
        props.put(k.substring("kafka.".length()), v);
      }
    });
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  private Map<String, String> with(Map<String, String> own, Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(settings);
    all.putAll(own);
    all.putAll(extra);
    return all;
  }

  /** A model-trainer of this run's application id; {@code name} names its state folder. */
  public ModelTrainer startTrainer(String name, Map<String, String> extra) throws Exception {
    ModelTrainer trainer = ModelTrainer.start(ModelTrainerConfig.fromSettings(with(Map.of(
        ModelTrainerConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        ModelTrainerConfig.APPLICATION_ID, "load-trainer-" + runId,
        ModelTrainerConfig.STATE_DIR, stateDir.resolve(name).toString(),
        ModelTrainerConfig.IQ_PORT, "0"), extra)));
    services.add(trainer);
    return trainer;
  }

  /** An engine-connector with id {@code id} running {@code engines} (GPU:MODEL:tpN*COUNT,...). */
  public EngineConnector startConnector(String id, String engines, Map<String, String> extra) {
    Map<String, String> own = with(Map.of(
        EngineConnectorConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        EngineConnectorConfig.CONNECTOR_ID, runId + "-" + id,
        EngineConnectorConfig.ENGINES, engines,
        EngineConnectorConfig.HEARTBEAT_MS, "250"), extra);
    own.keySet().removeAll(HttpAccess.SETTINGS.keys()); // a connector serves no HTTP
    EngineConnector connector = EngineConnector.start(EngineConnectorConfig.fromSettings(own));
    services.add(connector);
    return connector;
  }

  /** A router-consumer instance {@code instance} of this run's group, asking {@code trainer}. */
  public RouterConsumer startRouter(String instance, String policy, ModelTrainer trainer,
      Map<String, String> extra) throws Exception {
    RouterConsumer router = RouterConsumer.start(RouterConsumerConfig.fromSettings(with(Map.of(
        RouterConsumerConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        RouterConsumerConfig.INSTANCE_ID, runId + "-" + instance,
        RouterConsumerConfig.GROUP_ID, "load-router-" + runId,
        RouterConsumerConfig.POLICY, policy,
        RouterConsumerConfig.TRAINER_URL, trainerUrl(trainer)), extra)));
    services.add(router);
    return router;
  }

  /** The query API of {@code trainer}, as a router's trainer URL. */
  public static String trainerUrl(ModelTrainer trainer) {
    return "http://" + trainer.advertised().host() + ":" + trainer.advertised().port();
  }

  /** Stops one service now (a fault, or a service replaced) and forgets it. */
  public void stop(AutoCloseable service) throws Exception {
    services.remove(service);
    service.close();
  }

  /** Forgets a service that died by itself (a simulated crash). */
  public void forget(AutoCloseable service) {
    services.remove(service);
  }

  /** Waits (polling) until {@code condition} holds, failing with {@code what} after {@code limit}. */
  public static void await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting until " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    services.clear();
    if (first != null) {
      throw first;
    }
  }
}
