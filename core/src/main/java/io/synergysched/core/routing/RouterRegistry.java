package io.synergysched.core.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Routers by kebab-case name; a new policy registers itself here with one line. */
public final class RouterRegistry {

  public static final String ROUND_ROBIN = "round-robin";

  private static final Map<String, Supplier<Router>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put(ROUND_ROBIN, RoundRobinRouter::new);
  }

  private RouterRegistry() {}

  /**
   * @return a fresh router (routers keep state, so every run gets its own)
   * @throws IllegalArgumentException naming the unknown router and the known ones
   */
  public static Router create(String name) {
    Supplier<Router> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown router '" + name + "', known: " + String.join(", ", FACTORIES.keySet()));
    }
    return factory.get();
  }

  public static Set<String> names() {
    return FACTORIES.keySet();
  }
}
