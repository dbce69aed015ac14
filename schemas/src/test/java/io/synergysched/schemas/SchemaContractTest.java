package io.synergysched.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class SchemaContractTest {

  /** A unit in parentheses at the start of a clause, e.g. "(ms)", "(tokens^2)", "(epoch ms)". */
  private static final Pattern UNIT =
      Pattern.compile(
          "\\((ms|us|epoch ms|tokens|tokens\\^2|tokens per block|blocks|count|fraction|index|offset"
              + "|version number|dimensionless|us per feature unit|hash values|integer|GPUs per"
              + " engine|text|bytes|URL|kebab-case)[^)]*\\)");

  @Test
  void shouldHaveOneSchemaPerTopicWhenListingTopics() {
    assertThat(Topics.ALL).hasSize(12);
    assertThat(Topics.ALL.stream().map(Topics.TopicSpec::name))
        .doesNotHaveDuplicates()
        .allMatch(name -> name.startsWith("synergy."));
    assertThat(SampleRecords.byTopic().keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    SampleRecords.byTopic()
        .forEach((topic, record) -> assertThat(record).isInstanceOf(topic.valueType()));
  }

  @Test
  void shouldDocumentEveryFieldWithItsUnitWhenFieldIsNumeric() {
    List<String> problems = new ArrayList<>();
    for (Topics.TopicSpec<?> topic : Topics.ALL) {
      collectDocProblems(SpecificData.get().getSchema(topic.valueType()), problems);
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void shouldCarryTheStepStructureTheLatencyModelNeedsWhenReadingStepTelemetry() {
    assertThat(StepTelemetry.getClassSchema().getFields().stream().map(Schema.Field::name))
        .contains(
            "engineId",
            "stepIndex",
            "startTimeMs",
            "durationUs",
            "prefillTokens",
            "prefillChunks",
            "prefillChunkSqSum",
            "prefillCachedContext",
            "decodeSeqs",
            "decodeContextSum",
            "kvBlocksUsed",
            "kvBlocksTotal",
            "waiting",
            "running",
            "preemptions");
  }

  private static void collectDocProblems(Schema record, List<String> problems) {
    if (record.getDoc() == null || record.getDoc().isBlank()) {
      problems.add(record.getFullName() + " has no doc");
    }
    for (Schema.Field field : record.getFields()) {
      String where = record.getName() + "." + field.name();
      String doc = field.doc();
      if (doc == null || doc.isBlank()) {
        problems.add(where + " has no doc");
        continue;
      }
      Schema type = nonNull(field.schema());
      if (type.getType() == Schema.Type.ARRAY) {
        Schema items = type.getElementType();
        if (items.getType() == Schema.Type.RECORD) {
          collectDocProblems(items, problems);
          continue;
        }
        type = items;
      }
      if (type.getType() == Schema.Type.RECORD) {
        collectDocProblems(type, problems);
      } else if (isNumeric(type) && !UNIT.matcher(doc).find()) {
        problems.add(where + " is numeric but its doc names no unit: '" + doc + "'");
      }
    }
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL)
        .findFirst()
        .orElse(schema);
  }

  private static boolean isNumeric(Schema schema) {
    return switch (schema.getType()) {
      case INT, LONG, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }
}
