package io.synergysched.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Container health check without curl in the image: {@code HttpHealthCheck URL} exits 0 when the
 * URL answers HTTP 200 within 5 s, 1 otherwise. It sends the bearer token of the environment
 * variable {@code SYNERGY_HTTP_TOKEN} when set (the services' endpoints require it unless {@code
 * SYNERGY_HTTP_AUTH=none}).
 */
public final class HttpHealthCheck {

  private HttpHealthCheck() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: HttpHealthCheck URL");
      System.exit(2);
    }
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(5)).GET();
      String token = System.getenv("SYNERGY_HTTP_TOKEN");
      if (token != null && !token.isBlank()) {
        request.header("Authorization", "Bearer " + token.trim());
      }
      int status = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request.build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
      System.exit(status == 200 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("unhealthy: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
