package io.synergysched.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TLS identity for tests, made with the JDK's {@code keytool}: a PKCS12 keystore holding a key
 * pair and a self-signed certificate for {@code localhost} / {@code 127.0.0.1}, and a PKCS12
 * truststore holding that certificate, each with a random password. About 1 s per identity.
 */
public final class TestCertificates {

  private final Path dir;
  private final Path keystore;
  private final Path truststore;
  private final String keystorePassword;
  private final String truststorePassword;

  private TestCertificates(Path dir, String name) {
    this.dir = dir;
    this.keystore = dir.resolve(name + "-keystore.p12");
    this.truststore = dir.resolve(name + "-truststore.p12");
    this.keystorePassword = randomPassword();
    this.truststorePassword = randomPassword();
  }

  /**
   * Generates an identity in a new temporary folder.
   *
   * @param name the certificate's subject common name and the files' prefix
   */
  public static TestCertificates generate(String name) throws IOException, InterruptedException {
    TestCertificates certs =
        new TestCertificates(Files.createTempDirectory("synergysched-tls-"), name);
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-validity", "2", "-dname", "CN=" + name, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", certs.keystore.toString(), "-storetype", "PKCS12",
        "-storepass", certs.keystorePassword, "-keypass", certs.keystorePassword);
    Path certificate = certs.dir.resolve(name + ".crt");
    keytool("-exportcert", "-rfc", "-alias", name, "-file", certificate.toString(),
        "-keystore", certs.keystore.toString(), "-storepass", certs.keystorePassword);
    keytool("-importcert", "-noprompt", "-alias", name, "-file", certificate.toString(),
        "-keystore", certs.truststore.toString(), "-storetype", "PKCS12",
        "-storepass", certs.truststorePassword);
    return certs;
  }

  /** A random password, 32 hex digits. */
  public static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** PKCS12 store of the key pair and its certificate. */
  public Path keystore() {
    return keystore;
  }

  /** PKCS12 store trusting the certificate. */
  public Path truststore() {
    return truststore;
  }

  public String keystorePassword() {
    return keystorePassword;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  /** Deletes the files. */
  public void delete() {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary folder: the OS cleans it eventually
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      // the arguments hold the store passwords: report the tool's output and the action only
      throw new IOException("keytool " + args[0] + " failed: " + new String(output).strip());
    }
  }
}
