package io.synergysched.topologies.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.core.config.HttpAccess;
import io.synergysched.topologies.http.HttpEndpoints;
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
import org.apache.kafka.streams.state.HostInfo;

/** Asks another model-trainer instance for what its own stores hold ({@code ?local=true}). */
final class RemoteEngineClient {

  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration timeout;
  private final HttpAccess access;

  RemoteEngineClient(ObjectMapper json, Duration timeout, HttpAccess access) {
    this.json = json;
    this.access = access;
    this.timeout = timeout;
    this.http = HttpEndpoints.client(access, timeout);
  }

  Optional<EngineSnapshot> engine(HostInfo host, String engineId) {
    HttpResponse<String> response =
        get(host, "/engines/" + URLEncoder.encode(engineId, StandardCharsets.UTF_8) + "?local=true");
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(read(host, response, new TypeReference<EngineSnapshot>() {}));
  }

  List<EngineSnapshot> localEngines(HostInfo host) {
    return read(host, get(host, "/engines?local=true"), new TypeReference<List<EngineSnapshot>>() {});
  }

  private HttpResponse<String> get(HostInfo host, String path) {
    URI uri = URI.create(access.scheme() + "://" + host.host() + ":" + host.port() + path);
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      access.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new QueryNotReadyException("instance " + host + " did not answer " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryNotReadyException("interrupted while asking " + uri, e);
    }
  }

  private <T> T read(HostInfo host, HttpResponse<String> response, TypeReference<T> type) {
    if (response.statusCode() == 503) {
      throw new QueryNotReadyException("instance " + host + " is not ready: " + response.body(), null);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "instance " + host + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    try {
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw new IllegalStateException("instance " + host + " answered unreadable JSON", e);
    }
  }
}
