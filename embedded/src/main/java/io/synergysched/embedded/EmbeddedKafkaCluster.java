package io.synergysched.embedded;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka cluster (KRaft, combined broker and controller nodes) inside this JVM: for the
 * tests ({@link KafkaClusterExtension}) and for the commands that need a broker and cannot count
 * on one (the demo, the benchmarks). Listeners bind to the
 * loopback interface; data lives in temporary folders deleted by {@link #close()}. About 3 s to
 * start and 250 MB of heap.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
 *   props.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>With a {@link SaslSslListener} ({@link #start(int, Map, SaslSslListener)}) every broker also
 * has a client listener that requires TLS and SASL/SCRAM-SHA-512 ({@link #secureBootstrapServers()},
 * users made with {@link #createScramUser}); the default plaintext setup is unchanged.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  private static final Duration SECURE_READY_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final SaslSslListener secure;

  private EmbeddedKafkaCluster(KafkaClusterTestKit cluster, SaslSslListener secure) {
    this.cluster = cluster;
    this.secure = secure;
  }

  /** Starts {@code brokers} nodes with default settings and waits until all are ready. */
  public static EmbeddedKafkaCluster start(int brokers) throws Exception {
    return start(brokers, Map.of());
  }

  /**
   * Starts {@code brokers} nodes and waits until all are ready.
   *
   * @param brokers number of nodes, each a broker and a controller, &gt;= 1
   * @param brokerConfig broker settings on top of the defaults (which size the internal topics to
   *     the cluster so a one-node cluster can run consumer groups and transactions)
   */
  public static EmbeddedKafkaCluster start(int brokers, Map<String, Object> brokerConfig)
      throws Exception {
    return start(brokers, brokerConfig, null, false);
  }

  /**
   * Starts {@code brokers} nodes and waits until all are ready.
   *
   * @param secure a client listener requiring TLS and SASL/SCRAM to add to every broker, or null
   */
  public static EmbeddedKafkaCluster start(int brokers, Map<String, Object> brokerConfig,
      SaslSslListener secure) throws Exception {
    return start(brokers, brokerConfig, secure, false);
  }

  /**
   * Starts {@code brokers} broker nodes and one KRaft controller node of its own, and waits until
   * all are ready: for tests that stop and restart brokers, which then leave the controller quorum
   * alone (in a combined cluster each broker is also a voter).
   */
  public static EmbeddedKafkaCluster startWithDedicatedController(
      int brokers, Map<String, Object> brokerConfig) throws Exception {
    return start(brokers, brokerConfig, null, true);
  }

  private static EmbeddedKafkaCluster start(int brokers, Map<String, Object> brokerConfig,
      SaslSslListener secure, boolean dedicatedController) throws Exception {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
    }
    short replication = (short) Math.min(brokers, 3);
    Map<String, Object> settings = new HashMap<>();
    settings.put("offsets.topic.replication.factor", replication);
    settings.put("offsets.topic.num.partitions", 5);
    settings.put("transaction.state.log.replication.factor", replication);
    settings.put("transaction.state.log.min.isr", Math.min(replication, 2));
    settings.put("transaction.state.log.num.partitions", 5);
    settings.put("group.initial.rebalance.delay.ms", 0);
    // topics are created on purpose (Streams does not create its sources); a typo must fail loudly
    settings.put("auto.create.topics.enable", false);
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(!dedicatedController)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(dedicatedController ? 1 : brokers)
            .build();
    if (secure != null) {
      settings.putAll(secure.brokerConfig(nodes.brokerListenerName().value(),
          nodes.controllerListenerName().value()));
    }
    settings.putAll(brokerConfig);
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    settings.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new EmbeddedKafkaCluster(cluster, secure);
  }

  /** The {@code bootstrap.servers} value for clients of this cluster. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** The {@code bootstrap.servers} value of the TLS + SASL/SCRAM listener. */
  public String secureBootstrapServers() {
    SaslSslListener listener = secureListener();
    ListenerName name = ListenerName.normalised(SaslSslListener.NAME);
    return cluster.brokers().values().stream()
        .map(broker -> "localhost:" + broker.boundPort(name))
        .collect(Collectors.joining(","));
  }

  /** The secure listener, for its client settings. */
  public SaslSslListener secureListener() {
    if (secure == null) {
      throw new IllegalStateException("this cluster was started without a SaslSslListener");
    }
    return secure;
  }

  /**
   * Creates (or updates) a SCRAM-SHA-512 user through the Admin API, then waits until the secure
   * listener authenticates it.
   */
  public void createScramUser(String user, String password) throws Exception {
    SaslSslListener listener = secureListener();
    Properties plain = new Properties();
    plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(plain)) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all().get(30, TimeUnit.SECONDS);
    }
    Properties client = new Properties();
    client.putAll(listener.clientSettings(user, password));
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, secureBootstrapServers());
    client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + SECURE_READY_TIMEOUT.toNanos();
    while (true) {
      // the credential reaches the brokers through the metadata log, a moment after the answer
      try (Admin admin = Admin.create(client)) {
        admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("user " + user + " cannot authenticate on the secure"
              + " listener: " + e.getClass().getSimpleName(), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** The underlying test kit, for tests that stop and restart brokers. */
  public KafkaClusterTestKit testKit() {
    return cluster;
  }

  /** The ids of the broker nodes, in ascending order. */
  public java.util.List<Integer> brokerIds() {
    return cluster.brokers().keySet().stream().sorted().toList();
  }

  /**
   * Stops the broker of node {@code id} (its controller keeps running) and waits until it is down,
   * as a crashed or restarted broker process would be; its data stays for {@link #restartBroker}.
   */
  public void stopBroker(int id) {
    kafka.server.BrokerServer broker = broker(id);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /**
   * Starts the stopped broker of node {@code id} again on its data; it rejoins the cluster (on a
   * new port when the cluster was started with port 0) and catches up its replicas.
   */
  public void restartBroker(int id) {
    broker(id).startup();
  }

  private kafka.server.BrokerServer broker(int id) {
    kafka.server.BrokerServer broker = cluster.brokers().get(id);
    if (broker == null) {
      throw new IllegalArgumentException("no broker " + id + "; brokers are " + brokerIds());
    }
    return broker;
  }

  /** Stops every node and deletes its data. */
  @Override
  public void close() throws Exception {
    try {
      cluster.close();
    } finally {
      if (secure != null) {
        secure.delete();
      }
    }
  }
}
