package io.synergysched.testsupport;

import io.synergysched.embedded.SaslSslListener;
import io.synergysched.embedded.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka cluster in this JVM, in KRaft mode, started once per test class and stopped after
 * it. Listeners bind to the loopback interface only.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);
 * ...
 * KAFKA.createTopic("synergy.engine.steps", 3);
 * props.put("bootstrap.servers", KAFKA.bootstrapServers());
 * }</pre>
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final int brokers;
  private final Map<String, Object> brokerConfig = new HashMap<>();
  private boolean secure;
  private boolean dedicatedController;
  private EmbeddedKafkaCluster cluster;

  private KafkaClusterExtension(int brokers) {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
    }
    this.brokers = brokers;
  }

  /** A cluster of {@code brokers} brokers (each also a KRaft controller). */
  public static KafkaClusterExtension withBrokers(int brokers) {
    return new KafkaClusterExtension(brokers);
  }

  /**
   * Runs the KRaft controller on a node of its own instead of on every broker, for tests that
   * stop and restart brokers.
   */
  public KafkaClusterExtension withDedicatedController() {
    dedicatedController = true;
    return this;
  }

  /** Sets a broker configuration property before the cluster starts. */
  public KafkaClusterExtension withBrokerConfig(String key, Object value) {
    brokerConfig.put(key, value);
    return this;
  }

  /**
   * Adds a client listener that requires TLS and SASL/SCRAM-SHA-512 (see {@link SaslSslListener});
   * its address is {@link #secureBootstrapServers()}, its users come from {@link #createScramUser}.
   */
  public KafkaClusterExtension withSaslSslListener() {
    this.secure = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** Starts the cluster and waits until every broker is ready. Called by JUnit before all tests. */
  public void start() throws Exception {
    if (cluster == null) {
      if (dedicatedController && secure) {
        throw new IllegalStateException(
            "withDedicatedController() and a secure listener together are not supported");
      }
      cluster = dedicatedController
          ? EmbeddedKafkaCluster.startWithDedicatedController(brokers, brokerConfig)
          : EmbeddedKafkaCluster.start(brokers, brokerConfig,
              secure ? SaslSslListener.generate() : null);
    }
  }

  /** Stops the cluster and deletes its data. Called by JUnit after all tests. */
  public void stop() throws Exception {
    if (cluster != null) {
      EmbeddedKafkaCluster stopping = cluster;
      cluster = null;
      stopping.close();
    }
  }

  /** The {@code bootstrap.servers} value for clients of this cluster. */
  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /** The {@code bootstrap.servers} value of the TLS + SASL/SCRAM listener. */
  public String secureBootstrapServers() {
    return running().secureBootstrapServers();
  }

  /** The TLS + SASL/SCRAM listener, for its client settings. */
  public SaslSslListener secureListener() {
    return running().secureListener();
  }

  /** Creates a SCRAM-SHA-512 user; see {@link EmbeddedKafkaCluster#createScramUser}. */
  public void createScramUser(String user, String password) throws Exception {
    running().createScramUser(user, password);
  }

  /** The underlying test kit, for tests that stop and restart brokers. */
  public KafkaClusterTestKit testKit() {
    return running().testKit();
  }

  /** Stops one broker mid-test; see {@link EmbeddedKafkaCluster#stopBroker}. */
  public void stopBroker(int id) {
    running().stopBroker(id);
  }

  /** Starts a stopped broker again; see {@link EmbeddedKafkaCluster#restartBroker}. */
  public void restartBroker(int id) {
    running().restartBroker(id);
  }

  /** The ids of the broker nodes. */
  public List<Integer> brokerIds() {
    return running().brokerIds();
  }

  /** Client properties with {@code bootstrap.servers} set; add the rest yourself. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** A new admin client; the caller closes it. */
  public Admin admin() {
    return Admin.create(clientProperties());
  }

  /**
   * Creates a topic with the cluster's largest sensible replication factor (up to 3) and waits
   * until its metadata has reached the brokers. An existing topic is left as it is.
   */
  public void createTopic(String name, int partitions) {
    createTopics(List.of(new NewTopic(name, partitions, (short) Math.min(brokers, 3))));
  }

  /** Creates topics with one partition each; see {@link #createTopic}. */
  public void createTopics(String... names) {
    createTopics(
        Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) Math.min(brokers, 3))).toList());
  }

  /** Creates the given topics and waits until their metadata has reached the brokers. */
  public void createTopics(List<NewTopic> topics) {
    try (Admin admin = admin()) {
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
          }
        }
      }
      List<String> names = topics.stream().map(NewTopic::name).toList();
      long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
      while (true) {
        try {
          admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("topics " + names + " did not become visible", e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topics", e);
    }
  }

  private EmbeddedKafkaCluster running() {
    if (cluster == null) {
      throw new IllegalStateException(
          "the Kafka cluster is not running: register KafkaClusterExtension as a static"
              + " @RegisterExtension field so it starts before the tests");
    }
    return cluster;
  }
}
