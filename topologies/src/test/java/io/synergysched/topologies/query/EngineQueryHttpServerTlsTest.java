package io.synergysched.topologies.query;

import io.synergysched.runtime.query.RemoteEngineClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.embedded.TestCertificates;
import io.synergysched.runtime.http.HttpEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query server over TLS: mutual TLS admits only callers whose certificate the truststore
 * holds; a bearer token over HTTPS still needs the token. Identities made with keytool.
 */
class EngineQueryHttpServerTlsTest {

  private static final String TOKEN = "tls-test-token-0123456789";

  private static TestCertificates service;
  private static TestCertificates intruder;
  private EngineQueryHttpServer server;

  @BeforeAll
  static void certificates() throws Exception {
    service = TestCertificates.generate("model-trainer");
    intruder = TestCertificates.generate("intruder");
  }

  @AfterAll
  static void deleteCertificates() {
    service.delete();
    intruder.delete();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, String> stores(String auth, TestCertificates key, TestCertificates trust) {
    Map<String, String> settings = new HashMap<>();
    settings.put(HttpAccess.AUTH, auth);
    if (key != null) {
      settings.put(HttpAccess.KEYSTORE, key.keystore().toString());
      settings.put(HttpAccess.KEYSTORE_PASSWORD, key.keystorePassword());
    }
    settings.put(HttpAccess.TRUSTSTORE, trust.truststore().toString());
    settings.put(HttpAccess.TRUSTSTORE_PASSWORD, trust.truststorePassword());
    return settings;
  }

  private URI start(HttpAccess access) throws Exception {
    server = new EngineQueryHttpServer(new ObjectMapper(), "127.0.0.1", 0, access);
    server.serve(null, () -> "RUNNING");
    return URI.create("https://localhost:" + server.port() + "/health");
  }

  private static HttpResponse<String> get(HttpAccess client, URI uri) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    client.authorizationHeader().ifPresent(v -> request.header("Authorization", v));
    return HttpEndpoints.client(client, Duration.ofSeconds(5))
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAdmitOnlyCallersWithATrustedCertificateUnderMutualTls() throws Exception {
    HttpAccess mtls = HttpAccess.fromSettings(stores("mtls", service, service));
    URI health = start(mtls);
    // a peer with the service's identity, as RemoteEngineClient and the router's poller call
    HttpResponse<String> peer = get(mtls, health);
    assertThat(peer.statusCode()).isEqualTo(200);
    assertThat(peer.body()).contains("RUNNING");
    // no client certificate, or one the server does not trust: the handshake fails
    HttpAccess anonymous = HttpAccess.fromSettings(stores("none", null, service));
    assertThatThrownBy(() -> get(anonymous, health)).isInstanceOf(IOException.class);
    Map<String, String> foreign = stores("mtls", intruder, service);
    assertThatThrownBy(() -> get(HttpAccess.fromSettings(foreign), health))
        .isInstanceOf(IOException.class);
  }

  @Test
  void shouldStillWantTheTokenOverHttps() throws Exception {
    Map<String, String> settings = stores("token", service, service);
    settings.put(HttpAccess.TOKEN, TOKEN);
    HttpAccess access = HttpAccess.fromSettings(settings);
    URI health = start(access);
    assertThat(get(access, health).statusCode()).isEqualTo(200);
    HttpAccess trustOnly = HttpAccess.fromSettings(stores("none", null, service));
    HttpResponse<String> anonymous = get(trustOnly, health);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void shouldNameTheKeyOfAStoreThatCannotBeOpened() {
    Map<String, String> settings = stores("mtls", service, service);
    settings.put(HttpAccess.KEYSTORE_PASSWORD, "not-the-password");
    HttpAccess wrong = HttpAccess.fromSettings(settings);
    assertThatThrownBy(() -> new EngineQueryHttpServer(new ObjectMapper(), "127.0.0.1", 0, wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(HttpAccess.KEYSTORE)
        .message().doesNotContain("not-the-password").doesNotContain(service.keystorePassword());
  }
}
