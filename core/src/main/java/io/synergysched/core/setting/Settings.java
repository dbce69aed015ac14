package io.synergysched.core.setting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
          .append(s.defaultValue() == null || s.defaultText().isEmpty() ? s.defaultText() : "`" + s.defaultText() + "`")
          .append(" | ")
          .append(s.range().replace("|", "\\|")).append(" | ")
          .append(s.doc().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }
}
