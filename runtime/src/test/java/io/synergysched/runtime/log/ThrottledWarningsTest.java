package io.synergysched.runtime.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class ThrottledWarningsTest {

  /** Keeps the formatted WARN lines. */
  static final class RecordingLogger extends LegacyAbstractLogger {
    final List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] arguments, Throwable throwable) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, arguments));
    }

    @Override public boolean isTraceEnabled() { return true; }
    @Override public boolean isDebugEnabled() { return true; }
    @Override public boolean isInfoEnabled() { return true; }
    @Override public boolean isWarnEnabled() { return true; }
    @Override public boolean isErrorEnabled() { return true; }
  }

  private final RecordingLogger log = new RecordingLogger();
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ThrottledWarnings warnings =
      new ThrottledWarnings(log, Duration.ofSeconds(10), now::get);

  @Test
  void shouldLogOneLinePerReasonPerIntervalWithTheCountWhenAReasonRepeats() {
    for (int i = 0; i < 716; i++) {
      warnings.warn("no registry configured for schema id 16", "synergy.engine.registry-0@" + i);
      now.addAndGet(10); // 716 records in 7.16 s
    }
    now.addAndGet(3_000);
    warnings.warn("no registry configured for schema id 16", "synergy.engine.registry-0@716");

    assertThat(log.lines).containsExactly(
        "WARN no registry configured for schema id 16 (latest: synergy.engine.registry-0@0)",
        "WARN no registry configured for schema id 16 (latest: synergy.engine.registry-0@716);"
            + " 716 times in the last 10 s");
    assertThat(warnings.total("no registry configured for schema id 16")).isEqualTo(717);
  }

  @Test
  void shouldThrottleEachReasonOnItsOwnWhenReasonsInterleave() {
    warnings.warn("empty value", "a");
    warnings.warn("unknown fingerprint", "b");
    warnings.warn("empty value", "c");

    assertThat(log.lines).containsExactly("WARN empty value (latest: a)",
        "WARN unknown fingerprint (latest: b)");
    assertThat(warnings.total("empty value")).isEqualTo(2);
  }

  @Test
  void shouldShareOneEntryWhenReasonsExceedTheLimit() {
    for (int i = 0; i < ThrottledWarnings.MAX_REASONS + 50; i++) {
      warnings.warn("reason " + "z".repeat(i + 1), null);
    }

    assertThat(log.lines).hasSize(ThrottledWarnings.MAX_REASONS + 1);
    assertThat(warnings.total(ThrottledWarnings.OTHER_REASONS)).isEqualTo(50);
  }

  @Test
  void shouldCountReasonsThatDifferInNumbersOnlyAsOneWhenIdsVary() {
    warnings.warn("unknown writer schema fingerprint 5eed000000000001 for StepTelemetry", "a");
    warnings.warn("unknown writer schema fingerprint 5eed000000000002 for StepTelemetry", "b");
    warnings.warn("record is in Confluent wire format (schema id 17) but no registry", "c");
    now.addAndGet(10_000);
    warnings.warn("unknown writer schema fingerprint 0xdeadbeef01 for StepTelemetry", "d");

    assertThat(log.lines).containsExactly(
        "WARN unknown writer schema fingerprint 5eed000000000001 for StepTelemetry (latest: a)",
        "WARN record is in Confluent wire format (schema id 17) but no registry (latest: c)",
        "WARN unknown writer schema fingerprint 0xdeadbeef01 for StepTelemetry (latest: d);"
            + " 2 times in the last 10 s");
  }

  @Test
  void shouldRefuseAnIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> new ThrottledWarnings(log, Duration.ZERO, now::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
  }
}
