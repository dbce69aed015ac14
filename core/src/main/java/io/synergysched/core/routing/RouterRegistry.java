package io.synergysched.core.routing;

import io.synergysched.core.setting.ProfileProperties;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Routers by kebab-case name. Every router is a {@link RoutingProfile} of the routing framework
 * ({@link ProfileRouter}); the built-in profiles live in {@code routing-profiles.properties} next
 * to this class, so a new policy is a few lines of configuration there.
 */
public final class RouterRegistry {

  public static final String ROUND_ROBIN = "round-robin";
  public static final String PRISM = "prism";

  /** Classpath resource with the built-in profiles. */
  public static final String PROFILES_RESOURCE = "routing-profiles.properties";

  private static final Map<String, RoutingProfile> PROFILES = loadBuiltIn();

  private RouterRegistry() {}

  /**
   * @return a fresh router (routers keep state, so every run gets its own)
   * @throws IllegalArgumentException naming the unknown router and the known ones
   */
  public static Router create(String name) {
    return create(name, Map.of());
  }

  /**
   * As {@link #create(String)}, with components the host supplies to the profile's plugins (for
   * example the simulator's ground-truth forecaster for the oracle).
   */
  public static Router create(String name, Map<Class<?>, Object> sharedComponents) {
    RoutingProfile profile = PROFILES.get(name);
    if (profile == null) {
      throw new IllegalArgumentException(
          "unknown router '" + name + "', known: " + String.join(", ", PROFILES.keySet()));
    }
    return new ProfileRouter(profile, sharedComponents);
  }

  /** The profile behind a router name, or null. */
  public static RoutingProfile profile(String name) {
    return PROFILES.get(name);
  }

  public static Set<String> names() {
    return PROFILES.keySet();
  }

  private static Map<String, RoutingProfile> loadBuiltIn() {
    Properties p = ProfileProperties.load(RouterRegistry.class, PROFILES_RESOURCE);
    Map<String, RoutingProfile> profiles = RoutingProfile.parseAll(p);
    // Build each once so a bad built-in profile fails at class load, naming its key.
    profiles.values().forEach(pr -> new ProfileRouter(pr, Map.of()));
    return Map.copyOf(new java.util.TreeMap<>(profiles));
  }
}
