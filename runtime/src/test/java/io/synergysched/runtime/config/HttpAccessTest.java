package io.synergysched.core.config;

import io.synergysched.runtime.config.Secrets;
import io.synergysched.runtime.config.HttpAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAccessTest {

  private static final String TOKEN = "tok-0123456789abcdef";

  @Test
  void shouldRequireATokenUnlessExplicitlyDisabled() {
    assertThatThrownBy(() -> HttpAccess.fromSettings(Map.of()))
        .hasMessageContaining("synergy.http.token").hasMessageContaining("SYNERGY_HTTP_TOKEN")
        .hasMessageContaining("synergy.http.auth=none");
    assertThat(HttpAccess.fromSettings(Map.of("synergy.http.auth", "none")).mode())
        .isEqualTo(HttpAccess.Mode.NONE);
    assertThatThrownBy(() -> HttpAccess.fromSettings(Map.of("synergy.http.auth", "basic")))
        .hasMessageContaining("synergy.http.auth");
  }

  @Test
  void shouldRefuseShortTokensWithoutPrintingThem() {
    assertThatThrownBy(() -> HttpAccess.token("short-secret"))
        .hasMessageContaining("at least 16").message().doesNotContain("short-secret");
    assertThatThrownBy(() -> HttpAccess.token("has a space inside it"))
        .hasMessageContaining("printable ASCII");
  }

  @Test
  void shouldAcceptOnlyTheTokenAndNeverPrintIt() {
    HttpAccess access = HttpAccess.token(TOKEN);
    assertThat(access.accepts(TOKEN)).isTrue();
    assertThat(access.accepts(TOKEN + "x")).isFalse();
    assertThat(access.accepts(TOKEN.substring(1))).isFalse();
    assertThat(access.accepts(null)).isFalse();
    assertThat(access.authorizationHeader()).contains("Bearer " + TOKEN);
    assertThat(access.toString()).doesNotContain(TOKEN);
    assertThat(HttpAccess.none().accepts(null)).isTrue();
    assertThat(HttpAccess.none().authorizationHeader()).isEmpty();
  }

  @Test
  void shouldMakeDistinctRandomTokensLongEnough() {
    String a = HttpAccess.randomToken();
    assertThat(a).hasSize(43).isNotEqualTo(HttpAccess.randomToken());
    assertThat(HttpAccess.token(a).accepts(a)).isTrue();
  }

  @Test
  void shouldHideSecretSettings() {
    assertThat(Secrets.isSecret("ssl.keystore.password")).isTrue();
    assertThat(Secrets.isSecret("producer.sasl.jaas.config")).isTrue();
    assertThat(Secrets.isSecret("synergy.http.token")).isTrue();
    assertThat(Secrets.isSecret("ssl.key.password")).isTrue();
    assertThat(Secrets.isSecret("ssl.keystore.location")).isFalse();
    assertThat(Secrets.redacting(Map.of("ssl.truststore.password", "pw-1")).toString())
        .isEqualTo("{ssl.truststore.password=[hidden]}");
  }

  @Test
  void shouldRequireBothStoresForMutualTlsAndHideTheirPasswords(@TempDir Path dir) throws Exception {
    Path keystore = Files.writeString(dir.resolve("k.p12"), "k");
    Path truststore = Files.writeString(dir.resolve("t.p12"), "t");
    assertThatThrownBy(() -> HttpAccess.fromSettings(Map.of("synergy.http.auth", "mtls",
        "synergy.http.tls.keystore", keystore.toString())))
        .hasMessageContaining("synergy.http.tls.truststore");
    assertThatThrownBy(() -> HttpAccess.fromSettings(Map.of("synergy.http.auth", "mtls",
        "synergy.http.tls.keystore", dir.resolve("absent.p12").toString(),
        "synergy.http.tls.truststore", truststore.toString())))
        .hasMessageContaining("synergy.http.tls.keystore").hasMessageContaining("absent.p12");
    HttpAccess mtls = HttpAccess.fromSettings(Map.of("synergy.http.auth", "mtls",
        "synergy.http.tls.keystore", keystore.toString(),
        "synergy.http.tls.keystore-password", "key-pw-0123",
        "synergy.http.tls.truststore", truststore.toString(),
        "synergy.http.tls.truststore-password", "trust-pw-0123"));
    assertThat(mtls.mode()).isEqualTo(HttpAccess.Mode.MTLS);
    assertThat(mtls.scheme()).isEqualTo("https");
    assertThat(mtls.authorizationHeader()).isEmpty();
    assertThat(mtls.toString()).contains("k.p12").doesNotContain("key-pw-0123")
        .doesNotContain("trust-pw-0123");
  }
}
