package io.synergysched.runtime.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.runtime.config.HttpAccess;
import io.synergysched.runtime.http.HttpEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks another model-trainer instance for what its own stores hold ({@code ?local=true}). The
 * instance is named by host and port as Kafka Streams' metadata gives them; thread-safe.
 */
public final class RemoteEngineClient {

  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration timeout;
  private final HttpAccess access;

  public RemoteEngineClient(ObjectMapper json, Duration timeout, HttpAccess access) {
    this.json = json;
    this.access = access;
    this.timeout = timeout;
    this.http = HttpEndpoints.client(access, timeout);
  }

  /** The engine as instance {@code host:port} holds it, or empty when it holds none by that id. */
  public Optional<EngineSnapshot> engine(String host, int port, String engineId) {
    HttpResponse<String> response =
        get(host, port, "/engines/" + URLEncoder.encode(engineId, StandardCharsets.UTF_8) + "?local=true");
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(read(host, port, response, new TypeReference<EngineSnapshot>() {}));
  }

  /** Every engine instance {@code host:port} holds. */
  public List<EngineSnapshot> localEngines(String host, int port) {
    return read(host, port, get(host, port, "/engines?local=true"), new TypeReference<List<EngineSnapshot>>() {});
  }

  private HttpResponse<String> get(String host, int port, String path) {
    URI uri = URI.create(access.scheme() + "://" + host + ":" + port + path);
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      access.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new QueryNotReadyException("instance " + host + ":" + port + " did not answer " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryNotReadyException("interrupted while asking " + uri, e);
    }
  }

  private <T> T read(String host, int port, HttpResponse<String> response, TypeReference<T> type) {
    if (response.statusCode() == 503) {
      throw new QueryNotReadyException("instance " + host + ":" + port + " is not ready: " + response.body(), null);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "instance " + host + ":" + port + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    try {
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw new IllegalStateException("instance " + host + ":" + port + " answered unreadable JSON", e);
    }
  }
}
