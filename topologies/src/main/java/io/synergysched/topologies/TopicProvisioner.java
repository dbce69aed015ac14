package io.synergysched.topologies;

import io.synergysched.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of {@link Topics} that do not exist yet (Kafka Streams does not create its
 * source topics), compacted where the contract says so. Existing topics are left as they are.
 */
public final class TopicProvisioner {

  private TopicProvisioner() {}

  /**
   * @param partitions partitions of each new topic, &gt; 0
   * @param replication replication factor of each new topic, &gt; 0
   * @return the names of the topics it created
   */
  public static List<String> ensureTopics(Admin admin, int partitions, short replication)
      throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topics.TopicSpec<?> topic : Topics.ALL) {
        if (!existing.contains(topic.name())) {
          NewTopic newTopic = new NewTopic(topic.name(), partitions, replication);
          if (topic.compacted()) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
          }
          missing.add(newTopic);
        }
      }
      List<String> created = new ArrayList<>();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the SynergySched topics: " + e.getMessage(), e);
    }
  }
}
