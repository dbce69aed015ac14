package io.synergysched.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.synergysched.schemas.serde.AvroSerdeConfig;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.embedded.ApicurioRegistryServer;
import io.synergysched.testsupport.KafkaClusterExtension;
import io.synergysched.testsupport.SchemaRegistryExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A record of every schema through a real broker, with a real registry and without one. */
@ExtendWith(SchemaRegistryExtension.class)
class AllSchemasRoundTripIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(1);

  @BeforeAll
  static void createTopics() {
    KAFKA.createTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toArray(String[]::new));
  }

  @Test
  void shouldRoundTripEverySchemaInConfluentWireFormatWhenRegistryIsConfigured(
      ApicurioRegistryServer registry) throws Exception {
    SchemaRegistryClient client =
        new SchemaRegistryClient(AvroSerdeConfig.withRegistry(registry.confluentApiUrl()));

    List<RecordRoundTrip.Result> results = RecordRoundTrip.run(KAFKA.bootstrapServers(), client);

    assertThat(results).hasSize(Topics.ALL.size());
    for (RecordRoundTrip.Result result : results) {
      assertThat(result.received()).as(result.topic().name()).isEqualTo(result.sent());
      assertThat(result.wire()[0]).as("Confluent magic byte").isEqualTo((byte) 0);
      int wireId = ByteBuffer.wrap(result.wire(), 1, 4).getInt();
      int registryId = latestId(registry, result.topic().name() + "-value");
      assertThat(wireId).as("schema id of %s", result.topic().name()).isEqualTo(registryId);
    }
  }

  @Test
  void shouldRoundTripEverySchemaInSingleObjectEncodingWhenNoRegistryIsConfigured()
      throws Exception {
    List<RecordRoundTrip.Result> results = RecordRoundTrip.run(KAFKA.bootstrapServers(), null);

    assertThat(results).hasSize(Topics.ALL.size());
    for (RecordRoundTrip.Result result : results) {
      assertThat(result.received()).as(result.topic().name()).isEqualTo(result.sent());
      assertThat(result.wire()[0]).isEqualTo((byte) 0xC3);
      assertThat(result.wire()[1]).isEqualTo((byte) 0x01);
    }
  }

  /** The id the registry itself assigned to the subject's latest version, asked over its API. */
  private static int latestId(ApicurioRegistryServer registry, String subject) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            registry.confluentApiUrl() + "/subjects/" + subject
                                + "/versions/latest"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET latest version of %s", subject).isEqualTo(200);
    return new ObjectMapper().readTree(response.body()).get("id").intValue();
  }
}
