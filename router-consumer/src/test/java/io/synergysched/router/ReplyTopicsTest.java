package io.synergysched.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplyTopicsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final Set<String> onTheBroker = new HashSet<>(Set.of("synergy.responses"));
  private final List<String> lookups = new ArrayList<>();
  private boolean silent;

  private final ReplyTopics topics = new ReplyTopics(topic -> {
    lookups.add(topic);
    if (silent) {
      throw new TimeoutException("no answer");
    }
    return onTheBroker.contains(topic);
  }, now::get);

  @Test
  void shouldLookAnExistingTopicUpOnceWhenItIsAskedAgain() {
    assertThat(topics.exists("synergy.responses")).isTrue();
    assertThat(topics.exists("synergy.responses")).isTrue();

    assertThat(lookups).containsExactly("synergy.responses");
  }

  @Test
  void shouldFindAMissingTopicOnceItIsCreatedWhenItsMemoryExpires() {
    assertThat(topics.exists("gw-1.replies")).isFalse();
    onTheBroker.add("gw-1.replies");
    now.addAndGet(ReplyTopics.MISSING_FOR.toMillis() - 1);
    assertThat(topics.exists("gw-1.replies")).as("remembered as missing").isFalse();
    now.addAndGet(1);

    assertThat(topics.exists("gw-1.replies")).isTrue();
    assertThat(lookups).containsExactly("gw-1.replies", "gw-1.replies");
  }

  @Test
  void shouldCountASilentBrokerAsExistingWhenTheLookupTimesOut() {
    silent = true;

    assertThat(topics.exists("gw-2.replies")).isTrue();
    silent = false;
    assertThat(topics.exists("gw-2.replies")).as("not remembered: asked again").isFalse();
    assertThat(lookups).hasSize(2);
  }
}
