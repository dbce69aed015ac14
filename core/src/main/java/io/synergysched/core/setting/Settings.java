package io.synergysched.core.setting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The declared keys of one component (a service's configuration, a plugin's parameters), in the
 * order the docs list them. Immutable.
 */
public final class Settings {

  private final Map<String, Setting<?>> byKey = new LinkedHashMap<>();

  private Settings(Collection<? extends Setting<?>> settings) {
    for (Setting<?> s : settings) {
      if (byKey.put(s.key(), s) != null) {
        throw new IllegalStateException("key declared twice: " + s.key());
      }
    }
  }

  public static Settings of(Setting<?>... settings) {
    return new Settings(List.of(settings));
  }

  public static Settings of(Collection<? extends Setting<?>> settings) {
    return new Settings(settings);
  }

  /** These keys and {@code more}'s, in order. */
  public Settings and(Settings more) {
    List<Setting<?>> all = new ArrayList<>(byKey.values());
    all.addAll(more.all());
    return new Settings(all);
  }

  public List<Setting<?>> all() {
    return List.copyOf(byKey.values());
  }

  public List<String> keys() {
    return List.copyOf(byKey.keySet());
  }

  /** The declaration of {@code key}, or null. */
  public Setting<?> get(String key) {
    return byKey.get(key);
  }

  /**
   * The docs' table of these keys: {@code | key | type | default | range | meaning |}, one row per
   * key in declaration order. A docs page holds this table verbatim, and a test compares them.
   */
  public String markdownTable() {
    StringBuilder sb = new StringBuilder("| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n");
    for (Setting<?> s : byKey.values()) {
      sb.append("| `").append(s.key()).append("` | ").append(s.type()).append(" | ")
          .append(s.defaultText().isEmpty() ? "" : "`" + s.defaultText() + "`").append(" | ")
          .append(s.range().replace("|", "\\|")).append(" | ")
          .append(s.doc().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The value of {@code key} in {@code settings} parsed by {@code parser}, or {@code fallback} when
   * the key is absent or blank: for keys not declared as a {@link Setting} (yet).
   *
   * @throws IllegalArgumentException naming the key when the value does not parse
   */
  public static <T> T value(
      Map<String, String> settings, String key, Function<String, T> parser, T fallback) {
    String text = settings.get(key);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": cannot parse '" + text + "'", e);
    }
  }
}
