package io.synergysched.schemas.serde;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
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
 * @param compatibility the compatibility level set on each subject this client registers a schema
 *     under (right after registering it), or {@link Compatibility#KEEP} to leave the registry's
 *     level alone
 */
public record AvroSerdeConfig(
    URI registryUrl, boolean autoRegister, Duration requestTimeout, String basicAuthUserInfo,
    Compatibility compatibility) {

  /**
   * A subject's compatibility level, as the Confluent API spells it ({@link #name()}), or {@link
   * #KEEP}: do not set one.
   */
  public enum Compatibility {
    KEEP, NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
  }

  public static final Setting<URI> REGISTRY_URL = Setting.url("schema.registry.url", null,
      "base URL of a registry speaking the Confluent Schema Registry REST API (Apicurio: .../apis/ccompat/v7);"
          + " unset means Avro single-object encoding without a registry");
  public static final Setting<Boolean> AUTO_REGISTER = Setting.flag("schema.registry.auto.register", true,
      "register the writer schema when serializing, or only look it up (schemas deployed ahead of the apps)");
  public static final Setting<Duration> REQUEST_TIMEOUT = Setting.millis("schema.registry.request.timeout.ms",
      10_000, 1, Long.MAX_VALUE, "timeout of one registry HTTP request");
  // A secret: read as free text so that no message ever prints it; validate() checks its shape.
  public static final Setting<String> BASIC_AUTH_USER_INFO = Setting.text("schema.registry.basic.auth.user.info",
      null, "user:password for HTTP basic authentication with the registry");

  public static final Setting<Compatibility> COMPATIBILITY = Setting.choice(
      "schema.registry.compatibility", Compatibility.class, Compatibility.BACKWARD,
      "compatibility level set on each subject when this client registers a schema under it (the"
          + " Confluent API's PUT /config/{subject}); keep leaves the registry's level (Apicurio: NONE)");

  /** The serdes' keys, in the docs' order. */
  public static final Settings SETTINGS = Settings.of(REGISTRY_URL, AUTO_REGISTER, REQUEST_TIMEOUT,
      BASIC_AUTH_USER_INFO, COMPATIBILITY);

  /** No registry: single-object encoding. */
  public static AvroSerdeConfig withoutRegistry() {
    return fromMap(Map.of());
  }

  /** A registry at {@code url}, auto-registering schemas. */
  public static AvroSerdeConfig withRegistry(String url) {
    return fromMap(Map.of(REGISTRY_URL.key(), url));
  }

  /**
   * Reads the keys above from a Kafka-style config map (values of any type, read as text); absent
   * keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key whose value is invalid
   */
  public static AvroSerdeConfig fromMap(Map<String, ?> configs) {
    Map<String, String> text = new HashMap<>();
    configs.forEach((k, v) -> {
      if (v != null) {
        text.put(k, v.toString());
      }
    });
    AvroSerdeConfig config = new AvroSerdeConfig(REGISTRY_URL.read(text), AUTO_REGISTER.read(text),
        REQUEST_TIMEOUT.read(text), BASIC_AUTH_USER_INFO.read(text), COMPATIBILITY.read(text));
    config.validate();
    return config;
  }

  /**
   * Fails fast on a configuration that cannot work.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public void validate() {
    REGISTRY_URL.check(registryUrl);
    REQUEST_TIMEOUT.checkPresent(requestTimeout);
    COMPATIBILITY.checkPresent(compatibility);
    if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
      throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
    }
  }

  public boolean usesRegistry() {
    return registryUrl != null;
  }
}
