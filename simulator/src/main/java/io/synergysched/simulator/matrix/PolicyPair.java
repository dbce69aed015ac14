package io.synergysched.simulator.matrix;

/**
 * A router and the scheduler every engine runs, written {@code router+scheduler}.
 *
 * @param router a simulator router name
 * @param scheduler a batch scheduler name
 */
public record PolicyPair(String router, String scheduler) {

  /** @throws IllegalArgumentException when {@code text} is not {@code router+scheduler} */
  public static PolicyPair parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("\\+", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("'" + text + "' is not router+scheduler");
    }
    return new PolicyPair(parts[0].trim(), parts[1].trim());
  }

  @Override
  public String toString() {
    return router + "+" + scheduler;
  }
}
