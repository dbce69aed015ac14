package io.synergysched.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.SampleRecords;
import io.synergysched.schemas.StepTelemetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which registry answers make a record undecodable (dead letter) and which only mean "not now"
 * (keep the record, decode it again): the codec against a small HTTP server on the loopback
 * interface that answers as told. The real registry's 404 and type mismatch are in
 * {@code UndecodableRecordIT}.
 */
class RegistryAnswerTest {

  private static final String TOPIC = "synergy.requests.inbound";
  private static final int ID = 16;

  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void stop() {
    never.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  /** A registry whose every answer is {@code status} with {@code body}. */
  private String registry(Answer answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      answer.answer(exchange);
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @FunctionalInterface
  private interface Answer {
    void answer(HttpExchange exchange) throws IOException;
  }

  private static Answer status(int status, String body) {
    return exchange -> reply(exchange, status, body);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String schemaBody(Schema schema) {
    return "{\"schema\":" + quote(schema.toString()) + "}";
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** A valid InferenceRequest framed with schema id {@link #ID}. */
  private static byte[] framed() {
    byte[] single = new AvroRecordCodec<>(InferenceRequest.class, AvroSerdeConfig.withoutRegistry())
        .encode("unused", SampleRecords.inferenceRequest());
    ByteBuffer out = ByteBuffer.allocate(5 + single.length - 10);
    out.put((byte) 0).putInt(ID).put(single, 10, single.length - 10);
    return out.array();
  }

  private static AvroRecordCodec<InferenceRequest> codec(String url, String timeoutMs) {
    return new AvroRecordCodec<>(InferenceRequest.class, AvroSerdeConfig.fromMap(Map.of(
        AvroSerdeConfig.REGISTRY_URL.key(), url,
        AvroSerdeConfig.REQUEST_TIMEOUT.key(), timeoutMs)));
  }

  private static Throwable decodeFailure(AvroRecordCodec<InferenceRequest> codec) {
    return catchThrowable(() -> codec.decode(TOPIC, 3, 77L, framed()));
  }

  @Test
  void shouldKeepTheRecordWhenTheRegistryRefusesConnections() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    Throwable thrown = decodeFailure(codec("http://127.0.0.1:" + closed, "2000"));

    assertThat(thrown).isInstanceOf(SchemaRegistryUnavailableException.class)
        .isNotInstanceOf(UndecodableRecordException.class)
        .hasMessageContaining("partition 3 offset 77")
        .hasMessageContaining("schema id 16");
    assertThat(((SchemaRegistryUnavailableException) thrown).offset()).isEqualTo(77L);
  }

  @Test
  void shouldKeepTheRecordWhenTheRegistryDoesNotAnswerInTime() throws IOException {
    String url = registry(exchange -> {
      try {
        never.await(); // a hung registry: the connection is accepted, nothing comes back
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    Throwable thrown = decodeFailure(codec(url, "300"));

    assertThat(thrown).isInstanceOf(SchemaRegistryUnavailableException.class)
        .hasMessageContaining("timed out");
  }

  @Test
  void shouldKeepTheRecordWhenTheRegistryAnswersWithAServerError() throws IOException {
    String url = registry(status(503, "{\"error_code\":50301,\"message\":\"storage not ready\"}"));

    Throwable thrown = decodeFailure(codec(url, "2000"));

    assertThat(thrown).isInstanceOf(SchemaRegistryUnavailableException.class)
        .hasMessageContaining("HTTP 503").hasMessageContaining("storage not ready");
  }

  @Test
  void shouldKeepTheRecordWhenTheRegistryRefusesThisClient() throws IOException {
    String url = registry(status(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"));

    assertThat(decodeFailure(codec(url, "2000")))
        .as("a credentials problem says nothing about the record")
        .isInstanceOf(SchemaRegistryUnavailableException.class);
  }

  @Test
  void shouldDeadLetterWhenTheRegistryAnswersThatTheIdIsUnknown() throws IOException {
    String url = registry(status(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));

    assertThat(decodeFailure(codec(url, "2000"))).isInstanceOf(UndecodableRecordException.class)
        .hasMessageContaining("unknown schema id 16: the registry does not know it");
  }

  @Test
  void shouldNameBothRecordTypesBrieflyWhenTheIdIsOfAnotherType() throws IOException {
    String url = registry(status(200, schemaBody(SpecificData.get().getSchema(StepTelemetry.class))));

    Throwable thrown = decodeFailure(codec(url, "2000"));

    assertThat(thrown).isInstanceOf(UndecodableRecordException.class);
    String reason = ((UndecodableRecordException) thrown).reason();
    assertThat(reason).isEqualTo("schema id 16 is io.synergysched.schemas.StepTelemetry, expected"
        + " io.synergysched.schemas.InferenceRequest");
  }

  @Test
  void shouldSayWhatIsIncompatibleBrieflyWhenTheIdIsAnUnreadableVersionOfTheType()
      throws IOException {
    Schema current = SpecificData.get().getSchema(InferenceRequest.class);
    // a version whose promptTokens is a string: this reader's int cannot read it
    Schema retyped = new Schema.Parser().parse(current.toString()
        .replace("{\"name\":\"promptTokens\",\"type\":\"int\"", "{\"name\":\"promptTokens\",\"type\":\"string\""));
    assertThat(retyped.getField("promptTokens").schema().getType()).isEqualTo(Schema.Type.STRING);
    String url = registry(status(200, schemaBody(retyped)));

    String reason = ((UndecodableRecordException) decodeFailure(codec(url, "2000"))).reason();

    assertThat(reason).startsWith("schema id 16 is a version of io.synergysched.schemas.InferenceRequest"
        + " this reader cannot read: TYPE_MISMATCH at field promptTokens (/fields/")
        .contains("reader type: INT not compatible with writer type: STRING");
    assertThat(reason.length()).as("reason: %s", reason).isLessThan(400);
  }

  @Test
  void shouldDecodeWhenTheRegistryAnswersAgainAfterAFailure() throws IOException {
    AtomicInteger call = new AtomicInteger();
    Schema current = SpecificData.get().getSchema(InferenceRequest.class);
    String url = registry(exchange -> {
      if (call.incrementAndGet() == 1) {
        reply(exchange, 503, "{\"message\":\"busy\"}");
      } else {
        reply(exchange, 200, schemaBody(current));
      }
    });
    AvroRecordCodec<InferenceRequest> codec = codec(url, "2000");

    assertThat(decodeFailure(codec)).isInstanceOf(SchemaRegistryUnavailableException.class);
    assertThat(codec.decode(TOPIC, 3, 77L, framed()))
        .as("a failure is not remembered").isEqualTo(SampleRecords.inferenceRequest());
  }

  @Test
  void shouldSetBackwardCompatibilityOnASubjectRightAfterRegisteringUnderIt() throws IOException {
    String url = registry(exchange -> reply(exchange, 200,
        exchange.getRequestMethod().equals("POST") ? "{\"id\":21}" : "{\"compatibility\":\"BACKWARD\"}"));
    SchemaRegistryClient client = new SchemaRegistryClient(AvroSerdeConfig.withRegistry(url));
    Schema schema = SpecificData.get().getSchema(InferenceRequest.class);

    assertThat(client.idFor("synergy.requests.inbound-value", schema)).isEqualTo(21);
    assertThat(client.idFor("synergy.requests.inbound-value", schema)).isEqualTo(21);

    assertThat(calls).hasSize(2);
    assertThat(calls.get(0)).startsWith("POST /subjects/synergy.requests.inbound-value/versions ");
    assertThat(calls.get(1))
        .isEqualTo("PUT /config/synergy.requests.inbound-value {\"compatibility\":\"BACKWARD\"}");
  }

  @Test
  void shouldLeaveTheLevelAloneWhenConfiguredToKeepIt() throws IOException {
    String url = registry(status(200, "{\"id\":21}"));
    SchemaRegistryClient client = new SchemaRegistryClient(AvroSerdeConfig.fromMap(Map.of(
        AvroSerdeConfig.REGISTRY_URL.key(), url, AvroSerdeConfig.COMPATIBILITY.key(), "keep")));

    client.idFor("s-value", SpecificData.get().getSchema(InferenceRequest.class));

    assertThat(calls).singleElement().asString().startsWith("POST ");
  }

  @Test
  void shouldStillRegisterWhenTheRegistryRefusesToSetTheLevel() throws IOException {
    String url = registry(exchange -> reply(exchange,
        exchange.getRequestMethod().equals("POST") ? 200 : 403,
        exchange.getRequestMethod().equals("POST") ? "{\"id\":5}" : "{\"message\":\"forbidden\"}"));
    SchemaRegistryClient client = new SchemaRegistryClient(AvroSerdeConfig.withRegistry(url));

    assertThat(client.idFor("s-value", SpecificData.get().getSchema(InferenceRequest.class))).isEqualTo(5);
  }

  @Test
  void shouldFailFastNamingTheKeyWhenTheLevelIsUnknown() {
    assertThat(catchThrowable(() -> AvroSerdeConfig.fromMap(Map.of(
        AvroSerdeConfig.COMPATIBILITY.key(), "sideways"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.compatibility");
  }
}
