package io.synergysched.schemas.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the Avro serdes encode: with a schema registry (Confluent wire format) or without one (Avro
 * single-object encoding).
 *
 * @param registryUrl base URL of a registry speaking the Confluent Schema Registry REST API, e.g.
 *     {@code http://127.0.0.1:8081} or Apicurio's {@code .../apis/ccompat/v7}; null means no
 *     registry
 * @param autoRegister register the writer schema under the subject when serializing (true), or only
 *     look it up (false, for registries where schemas are deployed ahead of the apps)
 * @param requestTimeout timeout of one registry HTTP request, positive
 * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null
 */
public record AvroSerdeConfig(
    URI registryUrl, boolean autoRegister, Duration requestTimeout, String basicAuthUserInfo) {

  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER = "schema.registry.auto.register";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** No registry: single-object encoding. */
  public static AvroSerdeConfig withoutRegistry() {
    return new AvroSerdeConfig(null, true, DEFAULT_TIMEOUT, null);
  }

  /** A registry at {@code url}, auto-registering schemas. */
  public static AvroSerdeConfig withRegistry(String url) {
    return fromMap(Map.of(REGISTRY_URL, url));
  }

  /**
   * Reads the keys above from a Kafka-style config map; absent keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key whose value is invalid
   */
  public static AvroSerdeConfig fromMap(Map<String, ?> configs) {
    URI url = null;
    Object rawUrl = configs.get(REGISTRY_URL);
    if (rawUrl != null && !rawUrl.toString().isBlank()) {
      try {
        url = URI.create(rawUrl.toString().trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            REGISTRY_URL + " is not a valid URL: '" + rawUrl + "'", e);
      }
    }
    boolean autoRegister = true;
    Object rawAuto = configs.get(AUTO_REGISTER);
    if (rawAuto != null) {
      String text = rawAuto.toString().trim();
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            AUTO_REGISTER + " must be true or false, was '" + rawAuto + "'");
      }
      autoRegister = Boolean.parseBoolean(text);
    }
    Duration timeout = DEFAULT_TIMEOUT;
    Object rawTimeout = configs.get(REQUEST_TIMEOUT_MS);
    if (rawTimeout != null) {
      try {
        timeout = Duration.ofMillis(Long.parseLong(rawTimeout.toString().trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            REQUEST_TIMEOUT_MS + " must be a whole number of milliseconds, was '" + rawTimeout + "'",
            e);
      }
    }
    Object rawAuth = configs.get(BASIC_AUTH_USER_INFO);
    AvroSerdeConfig config =
        new AvroSerdeConfig(
            url, autoRegister, timeout, rawAuth == null ? null : rawAuth.toString());
    config.validate();
    return config;
  }

  /**
   * Fails fast on a configuration that cannot work.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public void validate() {
    if (registryUrl != null) {
      String scheme = registryUrl.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || registryUrl.getHost() == null) {
        throw new IllegalArgumentException(
            REGISTRY_URL + " must be an http(s) URL with a host, was '" + registryUrl + "'");
      }
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          REQUEST_TIMEOUT_MS + " must be positive, was " + requestTimeout);
    }
    if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
      throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
    }
  }

  public boolean usesRegistry() {
    return registryUrl != null;
  }
}
