package io.synergysched.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same round trip against Apache Kafka in a container, for machines with Docker. Skipped where
 * no Docker engine runs (our CI machines); the in-JVM cluster tests cover those.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaRoundTripIT {

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.2"));

  @Test
  void shouldRoundTripEverySchemaWhenBrokerRunsInAContainer() throws Exception {
    try (Admin admin =
        Admin.create(
            java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
      admin
          .createTopics(
              Topics.ALL.stream().map(t -> new NewTopic(t.name(), 1, (short) 1)).toList())
          .all()
          .get();
    }

    List<RecordRoundTrip.Result> results = RecordRoundTrip.run(KAFKA.getBootstrapServers(), null);

    assertThat(results).hasSize(Topics.ALL.size());
    results.forEach(r -> assertThat(r.received()).isEqualTo(r.sent()));
  }
}
