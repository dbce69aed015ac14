package io.synergysched.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.synergysched.schemas.SampleRecords;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.schemas.Topics;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Single-object encoding (no registry): round trips and every way bytes can be bad. */
@Timeout(120) // a hang guard, not a speed assertion
class AvroRecordCodecTest {

  private static final String TOPIC = Topics.ENGINE_STEPS.name();

  private final AvroRecordCodec<StepTelemetry> codec =
      new AvroRecordCodec<>(StepTelemetry.class, AvroSerdeConfig.withoutRegistry());

  @Test
  void shouldRoundTripEveryRecordWhenEncodedAsSingleObject() {
    SampleRecords.byTopic()
        .forEach(
            (topic, record) -> {
              byte[] bytes = roundTripCodec(topic).encode(topic.name() + "-value", cast(record));
              assertThat(bytes[0]).isEqualTo((byte) 0xC3);
              assertThat(bytes[1]).isEqualTo((byte) 0x01);
              assertThat(roundTripCodec(topic).decode(topic.name(), 0, 0, bytes)).isEqualTo(record);
            });
  }

  @Test
  void shouldNameTopicPartitionAndOffsetWhenBytesAreGarbage() {
    byte[] garbage = "this is not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    UndecodableRecordException error = decodeFailure(garbage, 3, 1234L);

    assertThat(error.topic()).isEqualTo(TOPIC);
    assertThat(error.partition()).isEqualTo(3);
    assertThat(error.offset()).isEqualTo(1234L);
    assertThat(error.getMessage())
        .contains("synergy.engine.steps", "partition 3", "offset 1234", "unknown framing");
  }

  @Test
  void shouldReportTruncationWhenRecordIsCutShort() {
    byte[] whole = codec.encode(TOPIC + "-value", SampleRecords.stepTelemetry());

    for (int length = 1; length < whole.length; length++) {
      UndecodableRecordException error = decodeFailure(Arrays.copyOf(whole, length), 0, 7L);
      assertThat(error.reason()).as("cut at %d of %d bytes", length, whole.length)
          .containsAnyOf("truncated", "invalid");
    }
    assertThat(decodeFailure(Arrays.copyOf(whole, whole.length - 1), 0, 7L).reason())
        .contains("truncated StepTelemetry body");
  }

  @Test
  void shouldRejectTrailingBytesWhenRecordIsFollowedByMore() {
    byte[] whole = codec.encode(TOPIC + "-value", SampleRecords.stepTelemetry());
    byte[] longer = Arrays.copyOf(whole, whole.length + 3);

    assertThat(decodeFailure(longer, 0, 0L).reason()).contains("trailing bytes");
  }

  @Test
  void shouldRejectUnknownFingerprintWhenWriterSchemaIsForeign() {
    byte[] bytes = codec.encode(TOPIC + "-value", SampleRecords.stepTelemetry());
    bytes[5] ^= 0x5A; // inside the 8-byte fingerprint

    assertThat(decodeFailure(bytes, 1, 2L).reason()).contains("unknown writer schema fingerprint");
  }

  @Test
  void shouldRejectAnotherRecordTypeWhenFingerprintBelongsToIt() {
    var requests = new AvroRecordCodec<>(
        io.synergysched.schemas.InferenceRequest.class, AvroSerdeConfig.withoutRegistry());
    byte[] request = requests.encode("x-value", SampleRecords.inferenceRequest());

    assertThat(decodeFailure(request, 0, 0L).reason()).contains("unknown writer schema fingerprint");
  }

  @Test
  void shouldExplainWhenConfluentFramedRecordArrivesWithoutRegistry() {
    byte[] confluent = {0, 0, 0, 0, 42, 2, 4, 6};

    assertThat(decodeFailure(confluent, 0, 0L).reason())
        .contains("schema id 42", "no schema.registry.url");
  }

  @Test
  void shouldRejectEmptyValueAndPassTombstonesThrough() {
    assertThat(decodeFailure(new byte[0], 0, 0L).reason()).isEqualTo("empty value");
    assertThat(codec.decode(TOPIC, 0, 0L, null)).isNull();
  }

  @Test
  void shouldThrowOnlyUndecodableRecordExceptionWhenFedRandomOrMutatedBytes() {
    Random random = new Random(20261122L);
    byte[] valid = codec.encode(TOPIC + "-value", SampleRecords.stepTelemetry());
    int rejected = 0;
    for (int i = 0; i < 10_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(64)];
        random.nextBytes(input);
        if (i % 4 == 0 && input.length > 1) { // well-framed header, random body
          input[0] = (byte) 0xC3;
          input[1] = 0x01;
        }
      } else {
        input = valid.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          int at = 10 + random.nextInt(input.length - 10); // body only, so the header still matches
          input[at] = (byte) random.nextInt(256);
        }
      }
      Throwable thrown = catchThrowable(() -> codec.decode(TOPIC, 0, 0L, input));
      if (thrown != null) {
        assertThat(thrown).isInstanceOf(UndecodableRecordException.class);
        rejected++;
      }
    }
    // Every random input is rejected; a mutated body may still be a valid record (Avro has no
    // checksum), but most mutations break it.
    assertThat(rejected).isGreaterThan(5_000);
  }

  @Test
  void shouldFailFastNamingTheKeyWhenConfigIsInvalid() {
    assertThatThrownBy(() -> AvroSerdeConfig.fromMap(java.util.Map.of("schema.registry.url", "ftp://x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () -> AvroSerdeConfig.fromMap(
                java.util.Map.of("schema.registry.request.timeout.ms", "soon")))
        .hasMessageContaining("schema.registry.request.timeout.ms");
    assertThatThrownBy(
            () -> AvroSerdeConfig.fromMap(java.util.Map.of("schema.registry.auto.register", "yes")))
        .hasMessageContaining("schema.registry.auto.register");
    assertThatThrownBy(
            () -> AvroSerdeConfig.fromMap(
                java.util.Map.of("schema.registry.basic.auth.user.info", "secret-without-colon")))
        .hasMessageContaining("schema.registry.basic.auth.user.info")
        .message().doesNotContain("secret-without-colon");
  }

  private UndecodableRecordException decodeFailure(byte[] bytes, int partition, long offset) {
    Throwable thrown = catchThrowable(() -> codec.decode(TOPIC, partition, offset, bytes));
    assertThat(thrown).isInstanceOf(UndecodableRecordException.class);
    return (UndecodableRecordException) thrown;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AvroRecordCodec<SpecificRecord> roundTripCodec(Topics.TopicSpec<?> topic) {
    return new AvroRecordCodec(topic.valueType(), AvroSerdeConfig.withoutRegistry());
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }
}
