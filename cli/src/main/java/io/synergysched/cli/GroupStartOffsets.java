package io.synergysched.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts new consumer groups at the topics' current end: their members then read only what is
 * written from now on, whatever their {@code auto.offset.reset}, and nothing written between now
 * and their first assignment is skipped (as {@code latest} would skip it). A demo on a shared
 * cluster uses it so its services never read the history of other writers and earlier runs.
 */
final class GroupStartOffsets {

  private static final long TIMEOUT_S = 30;

  private GroupStartOffsets() {}

  /**
   * Commits, for every group, the current end offset of every partition of the topics that
   * exist.
   *
   * @param groups consumer group ids (Kafka Streams: the application id) without members
   * @param topics topic names; absent ones are skipped
   * @return the offsets committed
   */
  static Map<TopicPartition, Long> pinToEnd(Admin admin, Collection<String> groups,
      Collection<String> topics) throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<String> present = topics.stream().filter(existing::contains).toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(present).allTopicNames()
          .get(TIMEOUT_S, TimeUnit.SECONDS).values()) {
        d.partitions().forEach(p ->
            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS).forEach((tp, info) -> {
        ends.put(tp, info.offset());
        commit.put(tp, new OffsetAndMetadata(info.offset(), "start of a demo run"));
      });
      for (String group : groups) {
        admin.alterConsumerGroupOffsets(group, commit).all().get(TIMEOUT_S, TimeUnit.SECONDS);
      }
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot set the start offsets of consumer groups " + groups
          + ": " + cause, cause);
    }
  }
}
