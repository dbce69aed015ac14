package io.synergysched.router;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which reply topics exist, so that the router never opens a transaction with a record for a
 * topic that is not there: the producer would wait {@code max.block.ms} for its metadata, the
 * transaction would abort, and the batch would be routed again, forever. A request whose answer
 * has nowhere to go is dead-lettered instead.
 *
 * <p>An existing topic is remembered for good (topics are not deleted under a running
 * deployment); a missing one for {@link #MISSING_FOR}, so a topic created later is found. A lookup
 * the broker does not answer within {@link #LOOKUP_TIMEOUT} counts as existing: the transaction
 * then fails and is retried like any other broker trouble. The routing thread's only, not
 * thread-safe.
 */
final class ReplyTopics implements AutoCloseable {

  static final Duration MISSING_FOR = Duration.ofSeconds(5);
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);
  /** Names remembered at most, each way: a flood of made-up names cannot grow the maps. */
  static final int MAX_REMEMBERED = 10_000;

  /** Answers whether a topic exists; an interface so that tests can count lookups. */
  interface Lookup {
    /** True when the topic exists; throws {@link TimeoutException} when the broker is silent. */
    boolean exists(String topic) throws TimeoutException;
  }

  private final Lookup lookup;
  private final LongSupplier clock;
  private final Map<String, Boolean> known = new HashMap<>();
  private final Map<String, Long> missingSince = new HashMap<>();
  private final AutoCloseable resource;

  ReplyTopics(Lookup lookup, LongSupplier clock) {
    this(lookup, clock, () -> { });
  }

  private ReplyTopics(Lookup lookup, LongSupplier clock, AutoCloseable resource) {
    this.lookup = lookup;
    this.clock = clock;
    this.resource = resource;
  }

  /** Looks topics up with an admin client of the given client settings. */
  static ReplyTopics withAdmin(java.util.Properties client) {
    Admin admin = Admin.create(client);
    Lookup lookup = topic -> {
      try {
        admin.describeTopics(List.of(topic)).allTopicNames()
            .get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          return false;
        }
        throw new TimeoutException("looking up topic " + topic + ": " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted looking up topic " + topic);
      }
    };
    return new ReplyTopics(lookup, System::currentTimeMillis, () -> admin.close(Duration.ofSeconds(2)));
  }

  /** True unless {@code topic} is known not to exist. */
  boolean exists(String topic) {
    if (Boolean.TRUE.equals(known.get(topic))) {
      return true;
    }
    Long since = missingSince.get(topic);
    long now = clock.getAsLong();
    if (since != null && now - since < MISSING_FOR.toMillis()) {
      return false;
    }
    boolean exists;
    try {
      exists = lookup.exists(topic);
    } catch (TimeoutException e) {
      return true;
    }
    if (known.size() >= MAX_REMEMBERED) {
      known.clear();
    }
    if (missingSince.size() >= MAX_REMEMBERED) {
      missingSince.clear();
    }
    if (exists) {
      known.put(topic, true);
      missingSince.remove(topic);
    } else {
      missingSince.put(topic, now);
    }
    return exists;
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      // closing: nothing to keep
    }
  }
}
