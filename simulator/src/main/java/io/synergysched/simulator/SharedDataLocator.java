package io.synergysched.simulator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared data folder ({@code ../shared/data} next to the repository) from
 * wherever the JVM runs: Maven runs tests with a module as the working directory, the launcher
 * from the repository root. The system property {@code synergysched.data} or the environment
 * variable {@code SYNERGYSCHED_DATA} override the search.
 */
public final class SharedDataLocator {

  private SharedDataLocator() {}

  /** The shared data root, e.g. {@code /work/shared/data}. */
  public static Path dataRoot() {
    String explicit = System.getProperty("synergysched.data", System.getenv("SYNERGYSCHED_DATA"));
    if (explicit != null && !explicit.isBlank()) {
      Path root = Path.of(explicit).toAbsolutePath().normalize();
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException("synergysched.data points to a missing folder: " + root);
      }
      return root;
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate.resolve("profiles"))) {
        return candidate.normalize();
      }
    }
    throw new IllegalStateException(
        "cannot find shared/data above " + start
            + "; set -Dsynergysched.data=DIR or SYNERGYSCHED_DATA");
  }

  /** The default Vidur profile directory. */
  public static Path vidurProfiles() {
    return dataRoot().resolve("profiles").resolve("vidur");
  }

  /**
   * Resolves a user path: as given when it exists; otherwise, for paths written relative to the
   * repository root such as {@code ../shared/data/...}, against each ancestor of the working
   * directory.
   */
  public static Path resolveUserPath(String path) {
    Path given = Path.of(path);
    if (given.isAbsolute() || Files.exists(given)) {
      return given;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(path).normalize();
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    return given;
  }
}
