package io.synergysched.core.setting;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One configuration key, declared once: its name, type, default, allowed range and meaning. Every
 * component's configuration and every routing plugin's parameters are read through these
 * declarations, so a key is spelled in one place, a bad value fails naming the key and its
 * range, and the docs are checked against the declarations ({@link Settings#markdownTable}).
 * Immutable and thread-safe.
 *
 * <p>A key that is absent or blank reads as its default; values are trimmed. Numbers are finite;
 * whole numbers are written as integers ({@code 1000}, not {@code 1e3} or {@code 1000.0}).
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
  private final Function<T, String> format;
  private final boolean required;
  private final String derivedDefault;

  private Setting(String key, String type, T defaultValue, String range, String doc,
      Function<String, T> parser, Function<T, String> check) {
    this(key, type, defaultValue, range, doc, parser, check, Setting::formatValue, false, null);
  }

  private Setting(String key, String type, T defaultValue, String range, String doc,
      Function<String, T> parser, Function<T, String> check, Function<T, String> format,
      boolean required, String derivedDefault) {
    this.key = Objects.requireNonNull(key, "key");
    this.type = type;
    this.defaultValue = defaultValue;
    this.range = range;
    this.doc = Objects.requireNonNull(doc, "doc");
    this.parser = parser;
    this.check = check;
    this.format = format;
    this.required = required;
    this.derivedDefault = derivedDefault;
    if (defaultValue != null) {
      String problem = check.apply(defaultValue);
      if (problem != null) {
        throw new IllegalStateException(key + ": the declared default " + defaultValue + " " + problem);
      }
    }
  }

  /**
   * A whole number in [{@code min}, {@code max}]; {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}
   * leave that side open (the docs then write {@code >= min}).
   */
  public static Setting<Long> whole(String key, long fallback, long min, long max, String doc) {
    String range = interval(min, max, Long.MIN_VALUE, Long.MAX_VALUE);
    return new Setting<>(key, "integer", fallback, range, doc, text -> {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number");
      }
    }, v -> v < min || v > max ? mustBe(range) : null);
  }

  /**
   * A whole number in [{@code min}, {@code max}] that fits an int; {@link Integer#MIN_VALUE} and
   * {@link Integer#MAX_VALUE} leave that side open.
   */
  public static Setting<Integer> integer(String key, int fallback, int min, int max, String doc) {
    String range = interval(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE);
    return new Setting<>(key, "integer", fallback, range, doc, text -> {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number " + (range.startsWith("[") ? "in " : "") + range);
      }
    }, v -> v < min || v > max ? mustBe(range) : null);
  }

  /**
   * A whole number that fits an int, with a rule of its own ("a divisor of 512"), described by
   * {@code range} for messages and docs.
   */
  public static Setting<Integer> integer(String key, int fallback, String range, IntPredicate allowed,
      String doc) {
    return new Setting<>(key, "integer", fallback, range, doc, text -> {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number");
      }
    }, v -> allowed.test(v) ? null : "must be " + range);
  }

  /** A finite number in [{@code min}, {@code max}] (an infinite bound leaves that side open). */
  public static Setting<Double> number(String key, double fallback, double min, double max, String doc) {
    String range = Double.isInfinite(min) && min < 0 && Double.isInfinite(max) && max > 0 ? "any"
        : Double.isInfinite(max) && max > 0 ? ">= " + bound(min)
        : Double.isInfinite(min) && min < 0 ? "<= " + bound(max)
        : "[" + bound(min) + ", " + bound(max) + "]";
    return new Setting<>(key, "number", fallback, range, doc, Setting::parseNumber,
        v -> Double.isFinite(v) && v >= min && v <= max ? null : mustBe(range));
  }

  /**
   * A finite number with a rule of its own (an open interval, "0 or at least 1"), described by
   * {@code range} for messages and docs; {@code allowed} says whether a value may be used.
   */
  public static Setting<Double> number(String key, double fallback, String range,
      DoublePredicate allowed, String doc) {
    return new Setting<>(key, "number", fallback, range, doc, Setting::parseNumber,
        v -> Double.isFinite(v) && allowed.test(v) ? null : "must be " + range);
  }

  /** A duration given in whole milliseconds, in [{@code minMs}, {@code maxMs}] (as {@link #whole}). */
  public static Setting<Duration> millis(String key, long fallbackMs, long minMs, long maxMs, String doc) {
    Setting<Long> ms = whole(key, fallbackMs, minMs, maxMs, doc);
    return new Setting<>(key, "milliseconds", Duration.ofMillis(fallbackMs), ms.range, doc,
        text -> Duration.ofMillis(ms.parser.apply(text)),
        v -> ms.check.apply(v.toMillis()));
  }

  /** {@code true} or {@code false}, in any case. */
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
    return text(key, fallback, v -> v.matches(regex), range, doc);
  }

  /** Text that {@code allowed} accepts (described by {@code range} in messages and docs). */
  public static Setting<String> text(String key, String fallback, Predicate<String> allowed,
      String range, String doc) {
    return new Setting<>(key, "text", fallback, range, doc, text -> text,
        v -> allowed.test(v) ? null : "must be " + range);
  }

  /** A host name or an IP address (letters, digits, {@code . : _ -}), such as an interface to bind. */
  public static Setting<String> host(String key, String fallback, String doc) {
    return new Setting<>(key, "host", fallback, "a host name or an IP address", doc, text -> text,
        v -> v.matches("[A-Za-z0-9.:_-]+") ? null : "must be a host name or an IP address");
  }

  /** An {@code http} or {@code https} URL with a host; {@code fallback} null means no default. */
  public static Setting<URI> url(String key, String fallback, String doc) {
    return new Setting<>(key, "URL", fallback == null ? null : URI.create(fallback),
        "an http(s) URL with a host", doc, text -> {
          try {
            return new URI(text);
          } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("must be a URL");
          }
        }, v -> {
          String scheme = v.getScheme();
          boolean http = scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
          return http && v.getHost() != null ? null : "must be an http(s) URL with a host";
        });
  }

  /**
   * A comma-separated list of at least one item, each read by {@code item} (which throws
   * {@link IllegalArgumentException} saying what an item must be); empty items are skipped. The
   * docs write the default as its items' {@code toString} joined by commas.
   *
   * @param range what an item may be, for the docs
   */
  public static <E> Setting<List<E>> list(String key, String fallback, Function<String, E> item,
      String range, String doc) {
    Function<String, List<E>> parser = text -> {
      List<E> items = new ArrayList<>();
      for (String part : text.split(",")) {
        String one = part.trim();
        if (one.isEmpty()) {
          continue;
        }
        try {
          items.add(item.apply(one));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("item '" + one + "' " + e.getMessage());
        }
      }
      return List.copyOf(items);
    };
    return new Setting<>(key, "list", fallback == null ? null : parser.apply(fallback), range, doc, parser,
        v -> v.isEmpty() ? "must name at least one item" : null,
        v -> v.stream().map(String::valueOf).collect(Collectors.joining(",")), false, null);
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
    return new Setting<>(prefix + key, type, defaultValue, range, doc, parser, check, format,
        required, derivedDefault);
  }

  /** The same declaration with another default (a profile's own default for a plugin). */
  public Setting<T> withDefault(T fallback) {
    return new Setting<>(key, type, fallback, range, doc, parser, check, format, required, null);
  }

  /**
   * The same declaration without a default of its own: absent reads as null, and the component
   * derives the value from other keys or the machine, as {@code description} tells the docs.
   */
  public Setting<T> derivedDefault(String description) {
    return new Setting<>(key, type, null, range, doc, parser, check, format, false,
        Objects.requireNonNull(description, "description"));
  }

  /**
   * The same declaration for a key that must be set: {@link #read} and {@link #check} fail naming
   * the key when it is absent or blank.
   */
  public Setting<T> required() {
    return new Setting<>(key, type, null, range, doc, parser, check, format, true, null);
  }

  /**
   * This key's value in {@code settings}: parsed and range-checked, or the default when the key is
   * absent or blank (values are trimmed).
   *
   * @throws IllegalArgumentException naming the key, the value and what is allowed, or naming a
   *     {@link #required} key that is absent
   */
  public T read(Map<String, String> settings) {
    String text = settings.get(key);
    if (text == null || text.isBlank()) {
      if (required) {
        throw missing();
      }
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
      throw missing();
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
   * Checks a value that came from code rather than text (a record built directly); null passes
   * unless the key is {@link #required} (blank text counts as null then).
   *
   * @throws IllegalArgumentException naming the key
   */
  public T check(T value) {
    if (required && (value == null || value instanceof String s && s.isBlank())) {
      throw missing();
    }
    String problem = value == null ? null : check.apply(value);
    if (problem != null) {
      throw new IllegalArgumentException(key + " " + problem + ", was " + format.apply(value));
    }
    return value;
  }

  /**
   * As {@link #check}, for a value from code that must be present whatever the key's default.
   *
   * @throws IllegalArgumentException naming the key when {@code value} is null or bad
   */
  public T checkPresent(T value) {
    if (value == null) {
      throw missing();
    }
    return check(value);
  }

  public String key() {
    return key;
  }

  /** The value type as docs name it: integer, number, milliseconds, boolean, text, host, URL, list, one of. */
  public String type() {
    return type;
  }

  /** The default, or null when the key has none (or the component derives it). */
  public T defaultValue() {
    return defaultValue;
  }

  /** Whether the key must be set. */
  public boolean isRequired() {
    return required;
  }

  /**
   * The default as the docs write it: the value, {@code required}, the description of a
   * {@link #derivedDefault}, or "" when there is none.
   */
  public String defaultText() {
    if (required) {
      return "required";
    }
    if (derivedDefault != null) {
      return derivedDefault;
    }
    return defaultValue == null ? "" : format.apply(defaultValue);
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

  private IllegalArgumentException missing() {
    return new IllegalArgumentException(key + " is required: " + doc);
  }

  private static String formatValue(Object value) {
    if (value instanceof Duration d) {
      return Long.toString(d.toMillis());
    }
    if (value instanceof Enum<?> e) {
      return kebab(e);
    }
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }

  private static String mustBe(String range) {
    return "must be " + (range.startsWith("[") ? "in " : "") + range;
  }

  private static String interval(long min, long max, long lowest, long highest) {
    if (min == lowest && max == highest) {
      return "any";
    }
    if (max == highest) {
      return ">= " + min;
    }
    if (min == lowest) {
      return "<= " + max;
    }
    return "[" + min + ", " + max + "]";
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
