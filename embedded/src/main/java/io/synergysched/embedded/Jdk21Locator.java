package io.synergysched.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a {@code java} executable of version 21 or newer, for servers (such as Apicurio Registry)
 * that need a newer JDK than the one the build runs on.
 *
 * <p>Looks, in order, at the {@code JAVA21_HOME} system property and environment variable, the
 * running JVM, {@code JAVA_HOME}, and the JDKs installed under the usual folders ({@code
 * /usr/lib/jvm}, {@code /usr/java}, {@code /opt/java}, {@code /opt}, {@code ~/.sdkman/candidates/java},
 * {@code ~/.jdks}), preferring the newest.
 */
public final class Jdk21Locator {

  static final int MINIMUM_FEATURE_VERSION = 21;

  private Jdk21Locator() {}

  /** The java executable of a JDK 21+, or empty; {@code searched} receives every place looked at. */
  public static Optional<Path> find(List<String> searched) {
    List<Path> explicit = new ArrayList<>();
    addHome(explicit, System.getProperty("JAVA21_HOME"));
    addHome(explicit, System.getenv("JAVA21_HOME"));
    for (Path home : explicit) {
      searched.add(home.toString());
      if (featureVersion(home) >= MINIMUM_FEATURE_VERSION) {
        return Optional.of(javaIn(home));
      }
    }
    if (Runtime.version().feature() >= MINIMUM_FEATURE_VERSION) {
      return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
    }
    searched.add("running JVM " + System.getProperty("java.home"));
    List<Path> candidates = new ArrayList<>();
    addHome(candidates, System.getenv("JAVA_HOME"));
    String userHome = System.getProperty("user.home");
    for (String root :
        List.of(
            "/usr/lib/jvm",
            "/usr/java",
            "/opt/java",
            "/opt",
            userHome + "/.sdkman/candidates/java",
            userHome + "/.jdks")) {
      searched.add(root);
      Path dir = Path.of(root);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> children = Files.list(dir)) {
          children.forEach(candidates::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + dir, e);
        }
      }
    }
    return candidates.stream()
        .filter(home -> featureVersion(home) >= MINIMUM_FEATURE_VERSION)
        .max(Comparator.comparingInt(Jdk21Locator::featureVersion))
        .map(Jdk21Locator::javaIn);
  }

  private static void addHome(List<Path> homes, String value) {
    if (value != null && !value.isBlank()) {
      homes.add(Path.of(value.trim()));
    }
  }

  private static Path javaIn(Path home) {
    return home.resolve("bin").resolve("java");
  }

  /** The JDK's feature version from its {@code release} file, or -1 when it is not a JDK. */
  static int featureVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(javaIn(home))) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
          String feature = version.split("[.+-]")[0];
          return feature.equals("1") ? 8 : Integer.parseInt(feature);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
