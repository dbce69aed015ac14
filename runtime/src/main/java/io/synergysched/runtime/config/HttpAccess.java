package io.synergysched.runtime.config;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call a component's HTTP endpoints (interactive queries, {@code /health}, {@code
 * /metrics}, dashboards), and how the component calls its peers'. One setting for the whole
 * deployment: every service checks callers with it and presents it when it calls another.
 *
 * <ul>
 *   <li>{@code synergy.http.auth=token} (the default): every request carries the bearer token of
 *       {@code synergy.http.token} ({@code SYNERGY_HTTP_TOKEN}), in an {@code Authorization:
 *       Bearer} header or, for clients that cannot set headers (a browser's EventSource), as the
 *       {@code access_token} query parameter (RFC 6750 section 2.3);
 *   <li>{@code synergy.http.auth=mtls}: mutual TLS: the endpoints speak HTTPS with the key and
 *       certificate of {@code synergy.http.tls.keystore} and accept only callers presenting a
 *       certificate that {@code synergy.http.tls.truststore} trusts; the service presents its own
 *       when it calls a peer;
 *   <li>{@code synergy.http.auth=none}: no authentication, for local use only; a warning is logged
 *       at start.
 * </ul>
 *
 * <p>With {@code token}, setting {@code synergy.http.tls.keystore} serves HTTPS as well (the token
 * then never crosses the network in clear text); {@code synergy.http.tls.truststore} is what the
 * service trusts when it calls a peer over HTTPS (the JDK's default CAs otherwise).
 *
 * <p>{@link #toString()} never shows the token.
 */
public final class HttpAccess {

  public static final Setting<Mode> AUTH_MODE = Setting.choice("synergy.http.auth", Mode.class, Mode.TOKEN,
      "how callers of the HTTP endpoints authenticate: token (bearer token), mtls (a client certificate the"
          + " truststore trusts) or none (local use only; a warning is logged at start)");
  // Secrets are read as free text, so that no message prints them; fromSettings checks them.
  public static final Setting<String> BEARER_TOKEN = Setting.text("synergy.http.token", null,
      "the bearer token, at least 16 printable ASCII characters; required with synergy.http.auth=token");
  public static final Setting<String> KEYSTORE_FILE = Setting.text("synergy.http.tls.keystore", null,
      "PKCS12 or JKS store of this service's key and certificate: the endpoints speak HTTPS (plain HTTP"
          + " when unset), and under mtls the service presents it when it calls a peer; required with mtls");
  public static final Setting<String> KEYSTORE_SECRET = Setting.text("synergy.http.tls.keystore-password", null,
      "password of synergy.http.tls.keystore");
  public static final Setting<String> TRUSTSTORE_FILE = Setting.text("synergy.http.tls.truststore", null,
      "the certificates this service trusts: its callers' under mtls, its peers' servers when it calls them"
          + " over HTTPS (the JDK's CAs when unset); required with mtls");
  public static final Setting<String> TRUSTSTORE_SECRET = Setting.text(
      "synergy.http.tls.truststore-password", null, "password of synergy.http.tls.truststore");

  /** The keys of this setting, for a component's own. */
  public static final Settings SETTINGS = Settings.of(AUTH_MODE, BEARER_TOKEN, KEYSTORE_FILE, KEYSTORE_SECRET,
      TRUSTSTORE_FILE, TRUSTSTORE_SECRET);

  // The keys as text, for code that writes settings.
  public static final String AUTH = AUTH_MODE.key();
  public static final String TOKEN = BEARER_TOKEN.key();
  public static final String KEYSTORE = KEYSTORE_FILE.key();
  public static final String KEYSTORE_PASSWORD = KEYSTORE_SECRET.key();
  public static final String TRUSTSTORE = TRUSTSTORE_FILE.key();
  public static final String TRUSTSTORE_PASSWORD = TRUSTSTORE_SECRET.key();

  /** Shortest token accepted: 16 characters (e.g. 12 random bytes in base64). */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** How callers authenticate. */
  public enum Mode {
    /** Bearer token. */
    TOKEN,
    /** Mutual TLS: a client certificate the truststore trusts. */
    MTLS,
    /** None: anyone who reaches the port may call. */
    NONE
  }

  /**
   * A key or trust store: a PKCS12 or JKS file and its password (never printed).
   *
   * @param file the store
   * @param password its password, or null for none
   */
  public record Store(Path file, String password) {
    @Override
    public String toString() {
      return file + (password == null ? "" : " (password " + Secrets.HIDDEN + ")");
    }
  }

  private final Mode mode;
  private final String token;
  private final byte[] tokenDigest;
  private final Store keystore;
  private final Store truststore;

  private HttpAccess(Mode mode, String token, Store keystore, Store truststore) {
    this.mode = mode;
    this.token = token;
    this.tokenDigest = token == null ? null : sha256(token);
    this.keystore = keystore;
    this.truststore = truststore;
  }

  /** Bearer-token access with {@code token}. */
  public static HttpAccess token(String token) {
    return fromSettings(Map.of(TOKEN, token));
  }

  /** A new random token: 32 bytes from a {@link SecureRandom}, base64url (43 characters). */
  public static String randomToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** No authentication (local use only). */
  public static HttpAccess none() {
    return new HttpAccess(Mode.NONE, null, null, null);
  }

  /**
   * Reads {@code synergy.http.auth} and {@code synergy.http.token}.
   *
   * @throws IllegalArgumentException naming the key, never printing the token
   */
  public static HttpAccess fromSettings(Map<String, String> settings) {
    Mode mode = AUTH_MODE.read(settings);
    Store keystore = store(settings, KEYSTORE_FILE, KEYSTORE_SECRET);
    Store truststore = store(settings, TRUSTSTORE_FILE, TRUSTSTORE_SECRET);
    switch (mode) {
      case NONE -> {
        return new HttpAccess(Mode.NONE, null, keystore, truststore);
      }
      case MTLS -> {
        if (keystore == null || truststore == null) {
          throw new IllegalArgumentException(AUTH + "=mtls needs " + KEYSTORE + " (this service's"
              + " key and certificate) and " + TRUSTSTORE + " (the certificates of its callers)");
        }
        return new HttpAccess(Mode.MTLS, null, keystore, truststore);
      }
      default -> { // TOKEN
        String token = BEARER_TOKEN.read(settings);
        if (token == null) {
          throw new IllegalArgumentException(TOKEN + " (environment SYNERGY_HTTP_TOKEN) is required:"
              + " the HTTP endpoints need a bearer token; set " + AUTH + "=none to serve them"
              + " without authentication (local use only)");
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
          throw new IllegalArgumentException(TOKEN + " must be at least " + MIN_TOKEN_LENGTH
              + " characters long, was " + token.length());
        }
        for (int i = 0; i < token.length(); i++) {
          char c = token.charAt(i);
          if (c < 0x21 || c > 0x7e) {
            throw new IllegalArgumentException(
                TOKEN + " may hold printable ASCII characters only (no spaces)");
          }
        }
        return new HttpAccess(Mode.TOKEN, token, keystore, truststore);
      }
    }
  }

  private static Store store(Map<String, String> settings, Setting<String> fileKey, Setting<String> passwordKey) {
    String location = fileKey.read(settings);
    String password = settings.get(passwordKey.key());
    if (location == null) {
      if (password != null) {
        throw new IllegalArgumentException(passwordKey + " is set but " + fileKey + " is not");
      }
      return null;
    }
    Path file;
    try {
      file = Path.of(location);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(fileKey + " is not a file name: '" + location + "'");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(fileKey + ": no readable file at '" + location + "'");
    }
    return new Store(file, password);
  }

  /** True when the endpoints speak HTTPS (a keystore is configured). */
  public boolean tls() {
    return keystore != null;
  }

  /** {@code https} with TLS, {@code http} without. */
  public String scheme() {
    return tls() ? "https" : "http";
  }

  /** This service's key and certificate (server, and client under mTLS), or null. */
  public Store keystore() {
    return keystore;
  }

  /** What this service trusts: its callers under mTLS, its peers' servers; or null. */
  public Store truststore() {
    return truststore;
  }

  public Mode mode() {
    return mode;
  }

  /** The {@code Authorization} header value a client sends, empty when access is open. */
  public Optional<String> authorizationHeader() {
    return token == null ? Optional.empty() : Optional.of("Bearer " + token);
  }

  /**
   * True when {@code presented} is the token. Compares digests in constant time, so the time taken
   * tells nothing about how much of a guess was right (nor the token's length).
   */
  public boolean accepts(String presented) {
    if (mode != Mode.TOKEN) {
      return true; // none, or mTLS: the TLS handshake has checked the caller
    }
    return presented != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "HttpAccess[" + switch (mode) {
      case NONE -> "none";
      case TOKEN -> "token=" + Secrets.HIDDEN;
      case MTLS -> "mtls";
    } + (keystore == null ? "" : ", keystore=" + keystore)
        + (truststore == null ? "" : ", truststore=" + truststore) + "]";
  }
}
