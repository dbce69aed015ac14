package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.synergysched.schemas.serde.SchemaRegistryException;
import io.synergysched.schemas.serde.SchemaRegistryUnavailableException;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The backoff and the in-place retry; the consumer-side hold runs against a broker in RegistryOutageIT. */
class RegistryHoldTest {

  private final AtomicLong nanos = new AtomicLong();
  private final List<Long> sleeps = new ArrayList<>();

  private static SchemaRegistryUnavailableException unavailable() {
    return new SchemaRegistryUnavailableException("t", 0, 5L, 16,
        new SchemaRegistryException("schema registry unreachable", -1, -1, null));
  }

  private <T> T retry(Duration bound, java.util.function.Supplier<T> decode) {
    return RegistryHold.retrying("test", bound, decode, nanos::get, ms -> {
      sleeps.add(ms);
      nanos.addAndGet(ms * 1_000_000);
    });
  }

  @Test
  void shouldDoubleTheBackoffFrom100MsUpTo4s() {
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 50).stream().map(RegistryHold::backoffMs).toList())
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 4000L, 4000L, 4000L);
  }

  @Test
  void shouldDecodeAgainWithBackoffUntilTheRegistryAnswers() {
    AtomicInteger calls = new AtomicInteger();

    String value = retry(Duration.ofSeconds(60), () -> {
      if (calls.incrementAndGet() <= 3) {
        throw unavailable();
      }
      return "decoded";
    });

    assertThat(value).isEqualTo("decoded");
    assertThat(sleeps).containsExactly(100L, 200L, 400L);
  }

  @Test
  void shouldThrowTheLastFailureWhenTheBoundIsReached() {
    AtomicInteger calls = new AtomicInteger();

    Throwable thrown = catchThrowable(() -> retry(Duration.ofSeconds(10), () -> {
      calls.incrementAndGet();
      throw unavailable();
    }));

    assertThat(thrown).isInstanceOf(SchemaRegistryUnavailableException.class);
    assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(10_000L);
    assertThat(sleeps).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L);
    assertThat(calls).hasValue(7);
  }

  @Test
  void shouldNotRetryADefiniteAnswer() {
    AtomicInteger calls = new AtomicInteger();

    Throwable thrown = catchThrowable(() -> retry(null, () -> {
      calls.incrementAndGet();
      throw new UndecodableRecordException("t", 0, 5L, "unknown schema id 16", null);
    }));

    assertThat(thrown).isInstanceOf(UndecodableRecordException.class);
    assertThat(calls).hasValue(1);
    assertThat(sleeps).isEmpty();
  }
}
