package io.synergysched.testsupport;

import java.util.HashMap;
import java.util.Map;
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
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private EmbeddedKafkaCluster(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
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
    settings.putAll(brokerConfig);
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(brokers)
            .build();
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
    return new EmbeddedKafkaCluster(cluster);
  }

  /** The {@code bootstrap.servers} value for clients of this cluster. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** The underlying test kit, for tests that stop and restart brokers. */
  public KafkaClusterTestKit testKit() {
    return cluster;
  }

  /** Stops every node and deletes its data. */
  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
