package io.synergysched.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The schemas of every released contract version, kept as resources under {@code
 * io/synergysched/schemas/released/vN/}. New code must read what released code wrote and the other
 * way round (checked by a test), and decoders use these to read records written by older versions.
 *
 * <p>To release: copy {@code schemas/src/main/avro/*.avsc} to a new {@code vN+1} folder and add it
 * to {@link #VERSIONS}.
 */
public final class ReleasedSchemas {

  /** Released contract versions, oldest first. */
  public static final List<String> VERSIONS = List.of("v1", "v2");

  private ReleasedSchemas() {}

  /**
   * The released schema of one record in one version, or null when that version did not have it.
   *
   * @param version one of {@link #VERSIONS}
   * @param recordName simple record name, e.g. {@code StepTelemetry}
   */
  public static Schema schema(String version, String recordName) {
    String resource = "released/" + version + "/" + recordName + ".avsc";
    try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Schema.Parser parser = new Schema.Parser();
      // RoutedRequest refers to InferenceRequest by name, so the referenced record is parsed first.
      if (!recordName.equals("InferenceRequest")) {
        Schema request = schema(version, "InferenceRequest");
        if (request != null) {
          parser.addTypes(List.of(request));
        }
      }
      return parser.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read released schema " + resource, e);
    }
  }

  /** Every released schema of one record, oldest first (empty when never released). */
  public static List<Schema> history(String recordName) {
    List<Schema> schemas = new ArrayList<>();
    for (String version : VERSIONS) {
      Schema schema = schema(version, recordName);
      if (schema != null) {
        schemas.add(schema);
      }
    }
    return schemas;
  }
}
