package io.synergysched.topologies.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.runtime.config.HttpAccess;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The query server's gate on a real socket: {@code /health} and a route added with {@code route()}
 * (as a dashboard or /metrics page is) need the token; limits apply before anything else.
 */
class EngineQueryHttpServerAuthTest {

  private static final String TOKEN = "query-test-token-0123456789";

  private final HttpClient client = HttpClient.newHttpClient();
  private EngineQueryHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String start(HttpAccess access) throws Exception {
    server = new EngineQueryHttpServer(new ObjectMapper(), "127.0.0.1", 0, access);
    server.route("/extra", exchange -> {
      byte[] body = "extra".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    // no stores are needed for what these tests ask
    server.serve(null, () -> "RUNNING");
    return "http://127.0.0.1:" + server.port();
  }

  private HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldRejectACallWithoutCredentialsWithABearerChallenge() throws Exception {
    String base = start(HttpAccess.token(TOKEN));
    for (String path : new String[] {"/health", "/extra", "/engines"}) {
      HttpResponse<String> response = get(base + path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"synergysched\"");
      assertThat(response.body()).doesNotContain("RUNNING").doesNotContain("extra");
    }
  }

  @Test
  void shouldRejectAWrongTokenOrAnotherScheme() throws Exception {
    String base = start(HttpAccess.token(TOKEN));
    HttpResponse<String> wrong = get(base + "/health", "Bearer " + TOKEN + "0");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(wrong.body()).doesNotContain(TOKEN);
    assertThat(get(base + "/health", "Basic " + TOKEN).statusCode()).isEqualTo(401);
    assertThat(get(base + "/extra?access_token=nope-nope-nope-nope", null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void shouldAcceptTheTokenInTheHeaderOrAsTheAccessTokenParameter() throws Exception {
    String base = start(HttpAccess.token(TOKEN));
    HttpResponse<String> health = get(base + "/health", "Bearer " + TOKEN);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("RUNNING");
    assertThat(get(base + "/extra", "bearer " + TOKEN).body()).isEqualTo("extra");
    // browser EventSource cannot set headers: RFC 6750 section 2.3
    HttpResponse<String> query = get(base + "/extra?access_token=" + TOKEN, null);
    assertThat(query.statusCode()).isEqualTo(200);
    assertThat(query.body()).isEqualTo("extra");
    // ... and the page it opens does not pass the token on to the sites it links
    assertThat(query.headers().firstValue("Referrer-Policy")).contains("no-referrer");
  }

  @Test
  void shouldServeWithoutCredentialsOnlyWhenExplicitlyDisabled() throws Exception {
    String base = start(HttpAccess.fromSettings(java.util.Map.of("synergy.http.auth", "none")));
    assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
    assertThat(get(base + "/extra", null).body()).isEqualTo("extra");
  }

  @Test
  void shouldBoundRequestSizeAndQueryValues() throws Exception {
    String base = start(HttpAccess.token(TOKEN));
    String bearer = "Bearer " + TOKEN;
    assertThat(get(base + "/engines/" + "e".repeat(3000), bearer).statusCode()).isEqualTo(414);
    assertThat(get(base + "/engines/" + "e".repeat(300), bearer).statusCode()).isEqualTo(400);
    assertThat(get(base + "/engines?local=maybe", bearer).statusCode()).isEqualTo(400);
    assertThat(get(base + "/engines?limit=5", bearer).statusCode()).isEqualTo(400);
    assertThat(get(base + "/engines?local=%25zz", bearer).statusCode()).isEqualTo(400);
    HttpResponse<String> big = client.send(HttpRequest.newBuilder(URI.create(base + "/extra"))
        .header("Authorization", bearer)
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[70 * 1024])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
  }
}
