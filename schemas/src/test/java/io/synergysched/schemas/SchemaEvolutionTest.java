package io.synergysched.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds every schema against every released version: new code reads old records and old code
 * reads new records (full compatibility), and a field added since a release has a default.
 */
class SchemaEvolutionTest {

  static List<Class<?>> recordTypes() {
    return Topics.ALL.stream().<Class<?>>map(Topics.TopicSpec::valueType).toList();
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  void shouldStayFullyCompatibleWhenComparedWithEveryReleasedVersion(Class<?> type) {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> history = ReleasedSchemas.history(current.getName());
    assertThat(history)
        .as("released versions of %s", current.getName())
        .isNotEmpty();
    for (Schema released : history) {
      assertThat(incompatibilities(current, released)).isEmpty();
    }
  }

  @Test
  void shouldFlagChangesThatBreakOldReadersOrOldDataWhenCheckingCompatibility() {
    Schema released = ReleasedSchemas.schema("v1", "StepTelemetry");
    String json = released.toString();

    Schema fieldWithoutDefault =
        new Schema.Parser()
            .parse(json.replace("\"fields\":[", "\"fields\":[{\"name\":\"gpuTempC\",\"type\":\"int\"},"));
    Schema typeChanged =
        new Schema.Parser()
            .parse(json.replace("{\"name\":\"durationUs\",\"type\":\"long\"",
                "{\"name\":\"durationUs\",\"type\":\"string\""));
    Schema fieldRemoved = withoutField(released, "decodeSeqs");

    assertThat(incompatibilities(fieldWithoutDefault, released)).isNotEmpty();
    assertThat(incompatibilities(typeChanged, released)).isNotEmpty();
    assertThat(incompatibilities(fieldRemoved, released)).isNotEmpty();

    Schema fieldWithDefault =
        new Schema.Parser()
            .parse(json.replace("\"fields\":[",
                "\"fields\":[{\"name\":\"gpuTempC\",\"type\":\"int\",\"default\":0},"));
    assertThat(incompatibilities(fieldWithDefault, released)).isEmpty();
  }

  /** Every way current and released fail to read each other, plus new fields without defaults. */
  static List<String> incompatibilities(Schema current, Schema released) {
    List<String> problems = new ArrayList<>();
    var newReadsOld = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
    if (newReadsOld.getType() != SchemaCompatibilityType.COMPATIBLE) {
      problems.add("current cannot read released: " + newReadsOld.getDescription());
    }
    var oldReadsNew = SchemaCompatibility.checkReaderWriterCompatibility(released, current);
    if (oldReadsNew.getType() != SchemaCompatibilityType.COMPATIBLE) {
      problems.add("released cannot read current: " + oldReadsNew.getDescription());
    }
    Set<String> releasedFields =
        released.getFields().stream().map(Schema.Field::name).collect(Collectors.toSet());
    for (Schema.Field field : current.getFields()) {
      if (!releasedFields.contains(field.name()) && !field.hasDefaultValue()) {
        problems.add("new field " + field.name() + " has no default");
      }
    }
    return problems;
  }

  private static Schema withoutField(Schema schema, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      if (!field.name().equals(name)) {
        fields.add(new Schema.Field(field, field.schema()));
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}
