package io.synergysched.core.routing;

import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a plugin factory gets: its profile's parameters (typed, failing fast with the full key
 * name) and components shared by the plugins of one router instance (for example the PRISM
 * forecaster that the feasibility filter and the headroom scorer both read). Single-threaded, used
 * only while the router is built.
 */
public final class PluginContext {

  private final RoutingProfile profile;
  private final Map<Class<?>, Object> shared;
  private final Set<String> read = new HashSet<>();

  /** @param shared components pre-supplied by the host (e.g. the simulator's oracle forecaster) */
  public PluginContext(RoutingProfile profile, Map<Class<?>, Object> shared) {
    this.profile = profile;
    this.shared = new LinkedHashMap<>(shared);
  }

  public RoutingProfile profile() {
    return profile;
  }

  /**
   * The component of {@code type} shared by this router's plugins, created on first use. A shared
   * component that is itself a {@link RoutingPlugin} gets the router's callbacks once, before the
   * plugins that use it; plugins must not forward callbacks to it.
   */
  public <T> T shared(Class<T> type, Supplier<? extends T> create) {
    Object existing = shared.get(type);
    if (existing == null) {
      existing = create.get();
      shared.put(type, existing);
    }
    return type.cast(existing);
  }

  /** A parameter as a double, or {@code fallback}; fails naming {@code profile.NAME.key}. */
  public double number(String key, double fallback) {
    String v = raw(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(fullKey(key) + " must be a number, got '" + v + "'");
    }
  }

  /** A parameter as a double in [{@code min}, {@code max}], or {@code fallback}. */
  public double number(String key, double fallback, double min, double max) {
    double d = number(key, fallback);
    if (d < min || d > max) {
      throw new IllegalArgumentException(fullKey(key) + " must be in [" + min + ", " + max + "], got " + d);
    }
    return d;
  }

  /** A parameter as text, trimmed, or {@code fallback}. */
  public String text(String key, String fallback) {
    String v = raw(key);
    return v == null ? fallback : v;
  }

  /** The full configuration key of a parameter, for error messages: {@code profile.NAME.key}. */
  public String fullKeyOf(String key) {
    return fullKey(key);
  }

  /** A parameter as a long (e.g. a seed), or {@code fallback}. */
  public long integer(String key, long fallback) {
    String v = raw(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(fullKey(key) + " must be an integer, got '" + v + "'");
    }
  }

  /** Shared components that want the router's callbacks, in creation order. */
  java.util.List<RoutingPlugin> sharedPlugins() {
    java.util.List<RoutingPlugin> out = new java.util.ArrayList<>();
    for (Object o : shared.values()) {
      if (o instanceof RoutingPlugin p) {
        out.add(p);
      }
    }
    return out;
  }

  /** The parameter keys no plugin read: typos, reported by the profile router. */
  Set<String> unreadKeys() {
    Set<String> unread = new HashSet<>(profile.params().keySet());
    unread.removeAll(read);
    return unread;
  }

  String fullKey(String key) {
    return "profile." + profile.name() + "." + key;
  }

  private String raw(String key) {
    read.add(key);
    return profile.params().get(key);
  }
}
