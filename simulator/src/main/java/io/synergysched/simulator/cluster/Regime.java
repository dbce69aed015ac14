package io.synergysched.simulator.cluster;

import java.util.Arrays;
import java.util.Locale;

/**
 * What admission control and scheduler triage every policy of a run gets (scenario key {@code
 * regime}), so that a comparison can hold them equal: {@code as-shipped} runs each router and
 * scheduler as its system ships it, {@code equal-admission} gives every pair the same admission,
 * {@code placement-only} takes admission away from all of them. The regime applies to every policy
 * of the run alike.
 */
public enum Regime {
  AS_SHIPPED,
  EQUAL_ADMISSION,
  PLACEMENT_ONLY;

  /** The scenario value, e.g. {@code equal-admission}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @param key a scenario value, or null for the default ({@code as-shipped})
   * @throws IllegalArgumentException naming the known values
   */
  public static Regime parse(String key) {
    if (key == null) {
      return AS_SHIPPED;
    }
    for (Regime r : values()) {
      if (r.key().equals(key.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException("regime '" + key + "' is not one of "
        + Arrays.stream(values()).map(Regime::key).toList());
  }

  /** Fails for a regime whose admission and triage the routers and schedulers do not offer yet. */
  void requireImplemented() {
    if (this != AS_SHIPPED) {
      throw new IllegalArgumentException("regime " + key() + " is not implemented yet");
    }
  }
}
