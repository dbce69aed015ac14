package io.synergysched.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.runtime.config.HttpAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RouterMetricsAuthTest {

  private static final String TOKEN = "metrics-test-token-0123456789";

  @Test
  void shouldServeMetricsOnlyWithTheToken() throws Exception {
    try (RouterMetrics metrics = new RouterMetrics("prism", "127.0.0.1", 0, HttpAccess.token(TOKEN))) {
      metrics.decided("routed", "e-1", 1_000, 5);
      URI uri = URI.create("http://127.0.0.1:" + metrics.port() + "/metrics");
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(uri).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(anonymous.body()).doesNotContain("synergy_router");
      HttpResponse<String> scraped = client.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + TOKEN).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("synergy_router_decisions_total");
    }
  }
}
