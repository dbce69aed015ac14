package io.synergysched.cli;

import io.synergysched.runtime.config.ConfigLoader;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.http.HttpEndpoints;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Container health check without curl in the image: {@code HttpHealthCheck URL} exits 0 when the
 * URL answers HTTP 200 within 5 s, 1 otherwise. It authenticates as the service it runs beside,
 * from the same environment: the bearer token of {@code SYNERGY_HTTP_TOKEN}, or under {@code
 * SYNERGY_HTTP_AUTH=mtls} the {@code SYNERGY_HTTP_TLS_*} stores.
 */
public final class HttpHealthCheck {

  private HttpHealthCheck() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: HttpHealthCheck URL");
      System.exit(2);
    }
    try {
      Map<String, String> settings = new HashMap<>(
          ConfigLoader.load(null, System.getenv(), Map.of(), HttpAccess.SETTINGS.keys()));
      settings.keySet().retainAll(HttpAccess.SETTINGS.keys());
      HttpAccess access = settings.isEmpty() ? HttpAccess.none() : HttpAccess.fromSettings(settings);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(5)).GET();
      access.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
      int status = HttpEndpoints.client(access, Duration.ofSeconds(5))
          .send(request.build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
      System.exit(status == 200 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("unhealthy: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
