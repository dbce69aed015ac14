package io.synergysched.runtime.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.lens.LensPlan;
import io.synergysched.runtime.mapping.LensHintMapping;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.serde.AvroRecordCodec;
import io.synergysched.schemas.serde.SchemaRegistryClient;
import io.synergysched.schemas.serde.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Decode, convert, check, then hand over or dead-letter: every way out, without a broker. */
class CheckedRecordReaderTest {

  private static final SchemaRegistryClient NO_REGISTRY = null;
  private static final String TOPIC = "synergy.requests.inbound";
  private static final String STAGE = "test/read";
  private static final long DEAD_LETTERED_AT = 1_234L;

  private final AvroRecordCodec<InferenceRequest> requests =
      new AvroRecordCodec<>(InferenceRequest.class, NO_REGISTRY);
  private final AvroRecordCodec<LensHint> hints = new AvroRecordCodec<>(LensHint.class, NO_REGISTRY);
  private final List<String> keys = new ArrayList<>();
  private final List<DeadLetter> letters = new ArrayList<>();
  private final CheckedRecordReader.DeadLetterSink sink = (key, letter) -> {
    keys.add(key);
    letters.add(letter);
  };
  private int clockReads;
  private final CheckedRecordReader<InferenceRequest, InferenceRequest> requestReader =
      CheckedRecordReader.checking(requests, STAGE, (key, r) -> InferenceRequestRules.problem(r),
          () -> {
            clockReads++;
            return DEAD_LETTERED_AT;
          });

  private static ConsumerRecord<String, byte[]> consumed(String key, byte[] value) {
    return new ConsumerRecord<>(TOPIC, 2, 40L, key, value);
  }

  private byte[] encode(InferenceRequest request) {
    return requests.encode(TOPIC + "-value", request);
  }

  @Test
  void shouldHandOverAValidRecordWhenItPassesTheRules() {
    InferenceRequest valid = ValidRecords.request();

    assertThat(requestReader.read(consumed("r-1", encode(valid)), sink)).isEqualTo(valid);
    assertThat(letters).isEmpty();
    assertThat(clockReads).as("the clock is read only for a dead letter").isZero();
  }

  @Test
  void shouldDeadLetterWithCoordinatesBytesAndCauseWhenTheValueCannotBeDecoded() {
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

    assertThat(requestReader.read(consumed("r-1", garbage), sink)).isNull();

    assertThat(keys).containsExactly("r-1");
    DeadLetter letter = letters.get(0);
    assertThat(letter.getSourceTopic()).isEqualTo(TOPIC);
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(40L);
    assertThat(letter.getStage()).isEqualTo(STAGE);
    assertThat(letter.getError()).startsWith("unknown framing");
    assertThat(letter.getErrorClass()).isEqualTo(UndecodableRecordException.class.getName());
    assertThat(letter.getFailedAtMs()).isEqualTo(DEAD_LETTERED_AT);
    assertThat(letter.getValue().array()).isEqualTo(garbage);
    assertThat(StandardCharsets.UTF_8.decode(letter.getKey()).toString()).isEqualTo("r-1");
  }

  @Test
  void shouldDeadLetterATombstoneWhenTheTopicHoldsNone() {
    assertThat(requestReader.read(consumed("r-1", null), sink)).isNull();

    assertThat(letters).singleElement().satisfies(l -> {
      assertThat(l.getError()).isEqualTo("null value (a tombstone is not a InferenceRequest)");
      assertThat(l.getValue()).isNull();
      assertThat(l.getErrorClass()).isNull();
    });
  }

  @Test
  void shouldDeadLetterWithTheRulesReasonWhenTheRecordBreaksThem() {
    InferenceRequest invalid = ValidRecords.request();
    invalid.setPromptTokens(0);
    byte[] bytes = encode(invalid);

    assertThat(requestReader.read(TOPIC, -1, -1, null, bytes, sink)).isNull();

    assertThat(keys).containsExactly((String) null);
    assertThat(letters).singleElement().satisfies(l -> {
      assertThat(l.getError()).isEqualTo(InferenceRequestRules.problem(invalid));
      assertThat(l.getErrorClass()).isNull();
      assertThat(l.getSourceOffset()).isEqualTo(-1L);
      assertThat(l.getValue().array()).isEqualTo(bytes);
    });
  }

  @Test
  void shouldDeadLetterWithTheInvariantAndCauseWhenTheConversionRefusesTheRecord() {
    CheckedRecordReader<LensHint, LensPlan> hintReader = CheckedRecordReader.converting(
        hints, STAGE, "LENS hint", LensHintMapping::toCore, LensHintRules::problem, () -> 0L);
    LensHint broken = LensHintMapping.toAvro(ValidRecords.hint("e0"));
    broken.setKvAdmissionWatermark(2.0);

    assertThat(hintReader.read(consumed("e0", hints.encode("unused", broken)), sink)).isNull();

    assertThat(letters).singleElement().satisfies(l -> {
      assertThat(l.getError()).startsWith("invalid LENS hint: ").contains("kvAdmissionWatermark");
      assertThat(l.getErrorClass()).isEqualTo(IllegalArgumentException.class.getName());
    });
  }

  @Test
  void shouldHandOverTheCoreFormWhenTheConvertedRecordPassesTheRules() {
    CheckedRecordReader<LensHint, LensPlan> hintReader = CheckedRecordReader.converting(
        hints, STAGE, "LENS hint", LensHintMapping::toCore, LensHintRules::problem, () -> 0L);
    LensPlan plan = ValidRecords.hint("e0");
    byte[] bytes = hints.encode("unused", LensHintMapping.toAvro(plan));

    assertThat(hintReader.read(consumed("e0", bytes), sink)).isEqualTo(plan);
    assertThat(hintReader.read(consumed("e9", bytes), sink)).isNull();
    assertThat(letters).extracting(DeadLetter::getError)
        .containsExactly("record key 'e9' is not the hint's engineId 'e0'");
    assertThat(letters.get(0).getValue().array()).isEqualTo(bytes);
  }
}
