package io.synergysched.runtime.config;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which settings are secrets, and maps of settings that never print them: a configuration dump, a
 * config record's {@code toString} or an error message shows {@value #HIDDEN} instead of the
 * value, as the Kafka clients do in their own config logs.
 */
public final class Secrets {

  /** What a secret value prints as. */
  public static final String HIDDEN = "[hidden]";

  private Secrets() {}

  /**
   * True for a key whose value is a secret: passwords ({@code ssl.keystore.password}, ...), keys
   * ({@code ssl.keystore.key}), JAAS configurations (they hold SASL passwords), tokens, secrets and
   * credentials, whatever the prefix ({@code kafka.}, {@code producer.}, {@code listener.name.x.}).
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("jaas.config") || k.contains("secret")
        || k.contains("token") || k.contains("credential") || k.endsWith(".key");
  }

  /** {@code value}, or {@value #HIDDEN} when {@code key} names a secret. */
  public static String printable(String key, String value) {
    return isSecret(key) ? HIDDEN : value;
  }

  /**
   * An unmodifiable copy of {@code settings}, in their order, whose {@code toString} hides the
   * secret values (equality and lookups see the real values).
   */
  public static Map<String, String> redacting(Map<String, String> settings) {
    return settings instanceof RedactingMap r ? r : new RedactingMap(settings);
  }

  private static final class RedactingMap extends AbstractMap<String, String> {
    private final Map<String, String> values;

    RedactingMap(Map<String, String> settings) {
      Map<String, String> copy = new LinkedHashMap<>();
      settings.forEach(
          (k, v) -> copy.put(java.util.Objects.requireNonNull(k), java.util.Objects.requireNonNull(v)));
      this.values = Collections.unmodifiableMap(copy);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return values.entrySet();
    }

    @Override
    public String get(Object key) {
      return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return values.containsKey(key);
    }

    @Override
    public String toString() {
      StringJoiner text = new StringJoiner(", ", "{", "}");
      values.forEach((k, v) -> text.add(k + "=" + printable(k, v)));
      return text.toString();
    }
  }
}
