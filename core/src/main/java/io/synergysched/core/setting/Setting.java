package io.synergysched.core.setting;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One configuration key, declared once: its name, type, default, allowed range and meaning. Every
 * component's configuration and every routing plugin's parameters are read through these
 * declarations, so a key is spelled in one place, a bad value fails naming the key and its
 * range, and the docs are checked against the declarations ({@link Settings#markdownTable}).
 * Immutable and thread-safe.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

  private final String key;
  private final String type;
  private final T defaultValue;
  private final String range;
  private final String doc;
  private final Function<String, T> parser;
  private final Function<T, String> check;

  private Setting(String key, String type, T defaultValue, String range, String doc,
      Function<String, T> parser, Function<T, String> check) {
    this.key = Objects.requireNonNull(key, "key");
    this.type = type;
    this.defaultValue = defaultValue;
    this.range = range;
    this.doc = Objects.requireNonNull(doc, "doc");
    this.parser = parser;
    this.check = check;
    if (defaultValue != null) {
      String problem = check.apply(defaultValue);
      if (problem != null) {
        throw new IllegalStateException(key + ": the declared default " + defaultValue + " " + problem);
      }
    }
  }

  /** A whole number in [{@code min}, {@code max}]. */
  public static Setting<Long> whole(String key, long fallback, long min, long max, String doc) {
    return new Setting<>(key, "integer", fallback, "[" + min + ", " + max + "]", doc, text -> {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number");
      }
    }, v -> v < min || v > max ? "must be in [" + min + ", " + max + "]" : null);
  }

  /** A whole number in [{@code min}, {@code max}] that fits an int. */
  public static Setting<Integer> integer(String key, int fallback, int min, int max, String doc) {
    return new Setting<>(key, "integer", fallback, "[" + min + ", " + max + "]", doc, text -> {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number in [" + min + ", " + max + "]");
      }
    }, v -> v < min || v > max ? "must be in [" + min + ", " + max + "]" : null);
  }

  /** A finite number in [{@code min}, {@code max}] (either bound may be infinite). */
  public static Setting<Double> number(String key, double fallback, double min, double max, String doc) {
    return new Setting<>(key, "number", fallback, "[" + bound(min) + ", " + bound(max) + "]", doc,
        Setting::parseNumber,
        v -> v < min || v > max ? "must be in [" + bound(min) + ", " + bound(max) + "]" : null);
  }

  /**
   * A number with a rule of its own (an open interval, "0 or at least 1"), described by
   * {@code range} for messages and docs; {@code allowed} says whether a value may be used.
   */
  public static Setting<Double> number(String key, double fallback, String range,
      DoublePredicate allowed, String doc) {
    return new Setting<>(key, "number", fallback, range, doc, Setting::parseNumber,
        v -> allowed.test(v) ? null : "must be " + range);
  }

  /** A duration given in whole milliseconds, in [{@code minMs}, {@code maxMs}]. */
  public static Setting<Duration> millis(String key, long fallbackMs, long minMs, long maxMs, String doc) {
    Setting<Long> ms = whole(key, fallbackMs, minMs, maxMs, doc);
    return new Setting<>(key, "milliseconds", Duration.ofMillis(fallbackMs), ms.range, doc,
        text -> Duration.ofMillis(ms.parser.apply(text)),
        v -> ms.check.apply(v.toMillis()));
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> flag(String key, boolean fallback, String doc) {
    return new Setting<>(key, "boolean", fallback, "true, false", doc, text -> {
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("must be true or false");
    }, v -> null);
  }

  /** Free text; {@code fallback} null means the key has no default (absent reads as null). */
  public static Setting<String> text(String key, String fallback, String doc) {
    return new Setting<>(key, "text", fallback, "", doc, text -> text, v -> null);
  }

  /** Text matching {@code regex} (described by {@code range} in messages and docs). */
  public static Setting<String> text(String key, String fallback, String regex, String range, String doc) {
    return new Setting<>(key, "text", fallback, range, doc, text -> text,
        v -> v.matches(regex) ? null : "must be " + range);
  }

  /** One of an enum's constants, written in lower kebab-case ({@code PLACEMENT_ONLY} is {@code placement-only}). */
  public static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E fallback, String doc) {
    String names = Arrays.stream(type.getEnumConstants()).map(Setting::kebab)
        .collect(Collectors.joining(", "));
    return new Setting<>(key, "one of", fallback, names, doc, text -> {
      for (E e : type.getEnumConstants()) {
        if (kebab(e).equals(text.toLowerCase(Locale.ROOT))) {
          return e;
        }
      }
      throw new IllegalArgumentException("must be one of " + names);
    }, v -> null);
  }

  /** The kebab-case spelling of an enum constant. */
  public static String kebab(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The same declaration under another key (a plugin parameter under its instance's prefix). */
  public Setting<T> under(String prefix) {
    return new Setting<>(prefix + key, type, defaultValue, range, doc, parser, check);
  }

  /** The same declaration with another default (a profile's own default for a plugin). */
  public Setting<T> withDefault(T fallback) {
    return new Setting<>(key, type, fallback, range, doc, parser, check);
  }

  /**
   * This key's value in {@code settings}: parsed and range-checked, or the default when the key is
   * absent or blank (values are trimmed).
   *
   * @throws IllegalArgumentException naming the key, the value and what is allowed
   */
  public T read(Map<String, String> settings) {
    String text = settings.get(key);
    if (text == null || text.isBlank()) {
      return defaultValue;
    }
    return parse(text);
  }

  /**
   * As {@link #read}, for a key with no default that must be set.
   *
   * @throws IllegalArgumentException naming the key when it is missing or bad
   */
  public T require(Map<String, String> settings) {
    T value = read(settings);
    if (value == null) {
      throw new IllegalArgumentException(key + " is required: " + doc);
    }
    return value;
  }

  /**
   * One value of this key.
   *
   * @throws IllegalArgumentException naming the key, the value and what is allowed
   */
  public T parse(String text) {
    String trimmed = text.trim();
    T value;
    try {
      value = parser.apply(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " " + e.getMessage() + ", was '" + trimmed + "'");
    }
    String problem = check.apply(value);
    if (problem != null) {
      throw new IllegalArgumentException(key + " " + problem + ", was " + trimmed);
    }
    return value;
  }

  /**
   * Checks a value that came from code rather than text (a record built directly).
   *
   * @throws IllegalArgumentException naming the key
   */
  public T check(T value) {
    String problem = value == null ? null : check.apply(value);
    if (problem != null) {
      throw new IllegalArgumentException(key + " " + problem + ", was " + value);
    }
    return value;
  }

  public String key() {
    return key;
  }

  /** The value type as docs name it: integer, number, milliseconds, boolean, text, one of. */
  public String type() {
    return type;
  }

  /** The default, or null when the key has none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as the docs write it ("" when there is none). */
  public String defaultText() {
    if (defaultValue == null) {
      return "";
    }
    if (defaultValue instanceof Duration d) {
      return Long.toString(d.toMillis());
    }
    if (defaultValue instanceof Enum<?> e) {
      return kebab(e);
    }
    if (defaultValue instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return defaultValue.toString();
  }

  /** The allowed values as the docs write them ("" for free text). */
  public String range() {
    return range;
  }

  /** What the key means, one sentence or two. */
  public String doc() {
    return doc;
  }

  @Override
  public String toString() {
    return key;
  }

  private static Double parseNumber(String text) {
    double d;
    try {
      d = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number");
    }
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("must be a finite number");
    }
    return d;
  }

  private static String bound(double b) {
    if (Double.isInfinite(b)) {
      return b > 0 ? "inf" : "-inf";
    }
    return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
  }
}
