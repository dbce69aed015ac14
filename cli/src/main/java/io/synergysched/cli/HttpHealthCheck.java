package io.synergysched.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Container health check without curl in the image: {@code HttpHealthCheck URL} exits 0 when the
 * URL answers HTTP 200 within 5 s, 1 otherwise.
 */
public final class HttpHealthCheck {

  private HttpHealthCheck() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: HttpHealthCheck URL");
      System.exit(2);
    }
    try {
      int status = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(5)).GET()
              .build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
      System.exit(status == 200 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("unhealthy: " + e);
      System.exit(1);
    }
  }
}
