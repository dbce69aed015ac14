package io.synergysched.core.setting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Named configurations in properties form, {@code ROOT.NAME.KEY = value} (routing profiles under
 * {@code profile}, scheduler profiles under {@code scheduler}), with inheritance:
 * {@code ROOT.NAME.extends = OTHER} starts from every key of OTHER (itself resolved first), then
 * applies NAME's own keys, so a value given again (a whole list included) replaces the inherited
 * one. Stateless.
 */
public final class ProfileProperties {

  /** The key that names the profile to start from. */
  public static final String EXTENDS = "extends";

  /**
   * One profile's keys after inheritance.
   *
   * @param name the profile's name
   * @param settings every key (without {@code ROOT.NAME.}), trimmed values, {@code extends} removed
   * @param inherited the keys of {@code settings} that came from the profile it extends
   */
  public record Profile(String name, Map<String, String> settings, Set<String> inherited) {
    public Profile {
      settings = Map.copyOf(settings);
      inherited = Set.copyOf(inherited);
    }
  }

  private ProfileProperties() {}

  /**
   * The properties of a classpath resource next to {@code anchor} (a registry's built-in profiles).
   *
   * @throws IllegalStateException when the resource is missing
   */
  public static Properties load(Class<?> anchor, String resource) {
    Properties p = new Properties();
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " next to " + anchor.getName());
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * Every profile under {@code root}, by name (sorted).
   *
   * @throws IllegalArgumentException naming the bad key: one outside {@code root.NAME.KEY}, an
   *     unknown profile to extend, or a cycle of {@code extends}
   */
  public static Map<String, Profile> read(Properties properties, String root) {
    String prefix = root + ".";
    Map<String, Map<String, String>> byName = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!key.startsWith(prefix)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (keys start with " + prefix + "NAME.)");
      }
      String rest = key.substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot <= 0 || dot == rest.length() - 1) {
        throw new IllegalArgumentException("key '" + key + "' must be " + prefix + "NAME.SETTING");
      }
      byName.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>())
          .put(rest.substring(dot + 1), properties.getProperty(key).trim());
    }
    Map<String, Profile> out = new TreeMap<>();
    for (String name : byName.keySet()) {
      Set<String> inherited = new HashSet<>();
      Map<String, String> settings = resolve(prefix, name, byName, new LinkedHashSet<>(), inherited);
      out.put(name, new Profile(name, settings, inherited));
    }
    return out;
  }

  private static Map<String, String> resolve(String prefix, String name, Map<String, Map<String, String>> all,
      LinkedHashSet<String> chain, Set<String> inherited) {
    if (!chain.add(name)) {
      throw new IllegalArgumentException(prefix + chain.iterator().next() + "." + EXTENDS
          + ": profiles extend each other in a cycle " + String.join(" -> ", chain) + " -> " + name);
    }
    Map<String, String> own = all.get(name);
    String parent = own.get(EXTENDS);
    Map<String, String> resolved = new TreeMap<>();
    if (parent != null) {
      if (!all.containsKey(parent)) {
        throw new IllegalArgumentException(prefix + name + "." + EXTENDS + ": unknown profile '" + parent
            + "', known: " + String.join(", ", all.keySet()));
      }
      resolved.putAll(resolve(prefix, parent, all, chain, new HashSet<>()));
      inherited.addAll(resolved.keySet());
    }
    resolved.putAll(own);
    inherited.removeAll(own.keySet());
    resolved.remove(EXTENDS);
    return resolved;
  }
}
