package io.synergysched.runtime.log;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * WARN lines for problems that can repeat once per record (undecodable or invalid records read
 * from a long history): the first occurrence of a reason is logged at once, then at most one line
 * per reason per interval, carrying how many occurrences it stands for. Without it a topic's
 * history of bad records floods the log with thousands of identical lines. Reasons that differ
 * only in numbers (schema ids, fingerprints, byte counts) count as one reason; the line shows the
 * latest one in full. Thread-safe.
 */
public final class ThrottledWarnings {

  /** Reasons beyond this many share one entry, so reasons that embed ids cannot grow the map. */
  static final int MAX_REASONS = 256;
  static final String OTHER_REASONS = "(other reasons)";
  /** Decimal numbers and hexadecimal words with a digit, optionally 0x-prefixed. */
  private static final java.util.regex.Pattern NUMBERS =
      java.util.regex.Pattern.compile("\\b(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*\\b");

  private final Logger log;
  private final long intervalMs;
  private final LongSupplier clockMs;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long lastLoggedMs;
    long pending;
    long total;
    boolean logged;
  }

  /**
   * @param log where the lines go
   * @param interval the least time between two lines of one reason, positive
   * @param clockMs the time in epoch ms
   */
  public ThrottledWarnings(Logger log, Duration interval, LongSupplier clockMs) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    this.log = log;
    this.intervalMs = interval.toMillis();
    this.clockMs = clockMs;
  }

  /** One line per reason per minute, wall clock. */
  public static ThrottledWarnings perMinute(Logger log) {
    return new ThrottledWarnings(log, Duration.ofMinutes(1), System::currentTimeMillis);
  }

  /**
   * Counts one occurrence and logs it if its reason has not been logged within the interval.
   *
   * @param reason what went wrong, without the location (the throttle's key), not null
   * @param detail where, e.g. topic-partition@offset, logged with the line; may be null
   * @return true when a line was logged
   */
  public boolean warn(String reason, String detail) {
    String kind = kindOf(reason);
    String key = windows.size() >= MAX_REASONS && !windows.containsKey(kind) ? OTHER_REASONS : kind;
    Window w = windows.computeIfAbsent(key, k -> new Window());
    long now = clockMs.getAsLong();
    long count;
    synchronized (w) {
      w.total++;
      w.pending++;
      if (w.logged && now - w.lastLoggedMs < intervalMs) {
        return false;
      }
      count = w.pending;
      w.pending = 0;
      w.lastLoggedMs = now;
      w.logged = true;
    }
    String where = detail == null ? "" : " (latest: " + detail + ")";
    if (count == 1) {
      log.warn("{}{}", reason, where);
    } else {
      log.warn("{}{}; {} times in the last {} s", reason, where, count,
          Math.max(1, intervalMs / 1000));
    }
    return true;
  }

  /** The throttle's key of a reason: the reason with its numbers blanked. */
  static String kindOf(String reason) {
    return NUMBERS.matcher(reason).replaceAll("#");
  }

  /** Occurrences of a reason (or of any reason differing from it in numbers only) so far. */
  public long total(String reason) {
    Window w = windows.get(reason.equals(OTHER_REASONS) ? reason : kindOf(reason));
    if (w == null) {
      return 0;
    }
    synchronized (w) {
      return w.total;
    }
  }
}
