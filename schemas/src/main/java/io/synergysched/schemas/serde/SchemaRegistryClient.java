package io.synergysched.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.core.setting.Setting;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client for the Confluent Schema Registry REST API: register a schema under a subject (and
 * set the subject's compatibility level, {@link AvroSerdeConfig#COMPATIBILITY}) and fetch a schema
 * by id. Works with any registry implementing that API (Confluent, Apicurio's ccompat
 * API, Karapace, Redpanda).
 *
 * <p>Both lookups are cached for the life of the client (a schema id never changes meaning), so a
 * steady-state serializer or deserializer makes no HTTP calls. Thread-safe.
 */
public final class SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);

  private final URI baseUrl;
  private final AvroSerdeConfig config;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
  private final Set<String> configuredSubjects = ConcurrentHashMap.newKeySet();

  private record SubjectSchema(String subject, Schema schema) {}

  public SchemaRegistryClient(AvroSerdeConfig config) {
    config.validate();
    if (!config.usesRegistry()) {
      throw new IllegalArgumentException(AvroSerdeConfig.REGISTRY_URL + " is not set");
    }
    this.config = config;
    String url = config.registryUrl().toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
    this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
  }

  /**
   * The id of {@code schema} under {@code subject}: registered as a new version when the config
   * auto-registers, otherwise looked up.
   *
   * @throws SchemaRegistryException when the registry refuses (incompatible schema, unknown subject)
   *     or cannot be reached
   */
  public int idFor(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    String path = "subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
    if (config.autoRegister()) {
      path += "/versions";
    }
    JsonNode body = post(path, JSON.createObjectNode().put("schema", schema.toString()));
    JsonNode id = body.get("id");
    if (id == null || !id.canConvertToInt()) {
      throw new SchemaRegistryException(
          "registry answered without a schema id for subject '" + subject + "': " + body, 200, -1,
          null);
    }
    int schemaId = id.intValue();
    if (config.autoRegister()) {
      configureCompatibility(subject);
    }
    idsBySubjectSchema.put(key, schemaId);
    schemasById.putIfAbsent(schemaId, schema);
    return schemaId;
  }

  /**
   * Sets the configured compatibility level on a subject this client has just registered a schema
   * under, once per subject for the life of the client. After the registration, not before:
   * older Apicurio versions answer 404 for the configuration of a subject that does not exist
   * yet (Confluent's creates it). A registry that refuses (a read-only or access-controlled
   * registry) leaves the subject at its level; that is logged, naming the key, and registering
   * goes on. A failure to reach the registry is thrown, like the registration's would be.
   */
  private void configureCompatibility(String subject) {
    if (config.compatibility() == AvroSerdeConfig.Compatibility.KEEP
        || configuredSubjects.contains(subject)) {
      return;
    }
    String path = "config/" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
    String level = config.compatibility().name();
    try {
      try {
        put(path, JSON.createObjectNode().put("compatibility", level));
      } catch (SchemaRegistryException e) {
        // Apicurio answers 409 "rule already exists" when another client set the level at the
        // same moment (two services registering under one subject): fine if it is ours
        if (e.httpStatus() != 409 || !level.equals(compatibilityOf(subject))) {
          throw e;
        }
      }
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == -1 || e.httpStatus() >= 500) {
        throw e;
      }
      LOG.warn("the schema registry refused to set compatibility {} on subject '{}' ({} = {}): {}",
          config.compatibility().name(), subject, AvroSerdeConfig.COMPATIBILITY.key(),
          Setting.kebab(config.compatibility()), e.getMessage());
    }
    configuredSubjects.add(subject);
  }

  /** The compatibility level the registry has for {@code subject} ({@code GET /config/{subject}}). */
  public String compatibilityOf(String subject) {
    JsonNode body = get("config/" + URLEncoder.encode(subject, StandardCharsets.UTF_8));
    JsonNode level = body.has("compatibilityLevel") ? body.get("compatibilityLevel") : body.get("compatibility");
    return level == null ? null : level.asText();
  }

  /**
   * The schema with this id.
   *
   * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} true when the
   *     registry does not know the id
   */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode body = get("schemas/ids/" + id);
    JsonNode text = body.get("schema");
    if (text == null || !text.isTextual()) {
      throw new SchemaRegistryException(
          "registry answered without a schema for id " + id + ": " + body, 200, -1, null);
    }
    Schema schema = new Schema.Parser().parse(text.textValue());
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous == null ? schema : previous;
  }

  private JsonNode get(String path) {
    return send(request(path).GET().build());
  }

  private JsonNode post(String path, JsonNode body) {
    return send(request(path).header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(json(body))).build());
  }

  private JsonNode put(String path, JsonNode body) {
    return send(request(path).header("Content-Type", CONTENT_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofString(json(body))).build());
  }

  private static String json(JsonNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a request body", e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(baseUrl.resolve(path))
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (config.basicAuthUserInfo() != null) {
      builder.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry unreachable at " + request.uri() + ": " + e, -1, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted while calling the schema registry at " + request.uri(), -1, -1, e);
    }
    JsonNode body;
    try {
      body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry at " + request.uri() + " answered HTTP " + response.statusCode()
              + " with a body that is not JSON: " + abbreviate(response.body()),
          response.statusCode(), -1, e);
    }
    if (response.statusCode() / 100 != 2) {
      JsonNode code = body.get("error_code");
      JsonNode message = body.get("message");
      throw new SchemaRegistryException(
          "schema registry at " + request.uri() + " answered HTTP " + response.statusCode() + ": "
              + (message != null ? message.asText() : abbreviate(response.body())),
          response.statusCode(), code != null && code.canConvertToInt() ? code.intValue() : -1,
          null);
    }
    return body;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
