package io.synergysched.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry (3.x, in-memory storage) running as a child process on 127.0.0.1, with
 * its Confluent-compatible API at {@link #confluentApiUrl()}.
 *
 * <p>The distribution is the {@code io.apicurio:apicurio-registry-app:all:tar.gz} artifact that the
 * build unpacks (folder given by the {@code synergy.apicurio.home} system property or the {@code
 * APICURIO_HOME} environment variable). Apicurio 3 needs a JDK 21 or newer, found by {@link
 * Jdk21Locator}.
 */
public final class ApicurioRegistryServer implements AutoCloseable {

  static final String HOME_PROPERTY = "synergy.apicurio.home";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final Path log;

  private ApicurioRegistryServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a registry and waits until its API answers.
   *
   * @throws IllegalStateException saying exactly why when it cannot be started
   */
  public static ApicurioRegistryServer start(Path logDir) {
    Path home = distribution();
    List<String> searched = new ArrayList<>();
    Optional<Path> java = Jdk21Locator.find(searched);
    if (java.isEmpty()) {
      throw new IllegalStateException(
          "Apicurio Registry needs a JDK 21 or newer and none was found; set JAVA21_HOME to one."
              + " Looked at: " + searched);
    }
    int port = freePort();
    int managementPort = freePort();
    Path log;
    try {
      Files.createDirectories(logDir);
      log = Files.createTempFile(logDir, "apicurio-registry-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the registry log in " + logDir, e);
    }
    List<String> command =
        List.of(
            java.get().toString(),
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + managementPort,
            "-Dquarkus.otel.sdk.disabled=true",
            "-jar",
            home.resolve("quarkus-run.jar").toString());
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start Apicurio Registry: " + command, e);
    }
    ApicurioRegistryServer server = new ApicurioRegistryServer(process, port, log);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "apicurio-registry-stop"));
    try {
      server.awaitReady();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Base URL of the Confluent Schema Registry compatible API (v7). */
  public String confluentApiUrl() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  /**
   * Freezes the registry process ({@code SIGSTOP}), like a registry that hangs: connections are
   * still accepted by the kernel, but no request is answered until {@link #resume()}. For outage
   * tests; the registry keeps its schemas (its storage is in memory, a restart would lose them).
   */
  public void pause() {
    signal("-STOP");
  }

  /** Lets a {@linkplain #pause() paused} registry run again ({@code SIGCONT}). */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill " + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling the registry", e);
    }
  }

  /** File receiving the registry's output. */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    resume(); // a paused process would not act on SIGTERM
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited with code " + process.exitValue() + " while starting; its"
                + " log " + log + " ends with:\n" + tail());
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
      }
    }
    throw new IllegalStateException(
        "Apicurio Registry did not answer on " + confluentApiUrl() + " within " + STARTUP_TIMEOUT
            + "; its log " + log + " ends with:\n" + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e + ")";
    }
  }

  private static Path distribution() {
    String configured = System.getProperty(HOME_PROPERTY, System.getenv("APICURIO_HOME"));
    if (configured == null || configured.isBlank()) {
      throw new IllegalStateException(
          "Apicurio Registry distribution not configured: set the system property " + HOME_PROPERTY
              + " (the Maven build sets it for failsafe after unpacking"
              + " io.apicurio:apicurio-registry-app:all:tar.gz) or APICURIO_HOME");
    }
    Path home = Path.of(configured);
    if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException(
          "no quarkus-run.jar in " + home + " (" + HOME_PROPERTY + "): the Apicurio Registry"
              + " distribution was not unpacked there; run the tests through './mvnw verify'");
    }
    return home;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }
}
