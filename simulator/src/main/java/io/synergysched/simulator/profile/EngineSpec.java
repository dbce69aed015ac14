package io.synergysched.simulator.profile;

import java.util.Locale;

/**
 * Which hardware runs which model: {@code GPU:MODEL:tpN}, e.g. {@code a100:llama-2-70b:tp2}.
 *
 * @param gpu device name as in the profile directory, lower case
 * @param model model short name, lower case
 * @param tensorParallel tensor-parallel degree, &gt;= 1
 */
public record EngineSpec(String gpu, String model, int tensorParallel) {

  public EngineSpec {
    if (tensorParallel < 1) {
      throw new IllegalArgumentException("tp must be >= 1, got " + tensorParallel);
    }
    gpu = gpu.toLowerCase(Locale.ROOT);
    model = model.toLowerCase(Locale.ROOT);
  }

  public static EngineSpec parse(String text) {
    String[] parts = text.trim().split(":");
    if (parts.length != 3 || !parts[2].toLowerCase(Locale.ROOT).startsWith("tp")) {
      throw new IllegalArgumentException(
          "engine '" + text + "' is not GPU:MODEL:tpN (e.g. a100:llama-2-70b:tp2)");
    }
    try {
      return new EngineSpec(parts[0], parts[1], Integer.parseInt(parts[2].substring(2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("engine '" + text + "': tp is not a number", e);
    }
  }

  @Override
  public String toString() {
    return gpu + ":" + model + ":tp" + tensorParallel;
  }
}
