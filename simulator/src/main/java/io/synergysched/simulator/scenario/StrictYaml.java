package io.synergysched.simulator.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads a YAML file into a record whose components are its keys in snake_case, failing fast with a
 * message that names an unknown key (and the known ones) or the key of a value of the wrong type.
 */
public final class StrictYaml {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private StrictYaml() {}

  /**
   * @param what what the file holds, for messages ({@code scenario}, {@code matrix})
   * @return the value, never null
   * @throws IllegalArgumentException naming the file and the bad key
   */
  public static <T> T read(Path file, Class<T> type, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(what + " file not found: " + file);
    }
    T value;
    try {
      value = YAML.readValue(file.toFile(), type);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(file + ": unknown key '" + path(e) + "'; known keys: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
              .collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(file + ": bad value for '" + path(e) + "': "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read " + what + ": " + e.getMessage(), e);
    }
    if (value == null) {
      throw new IllegalArgumentException(file + ": empty " + what);
    }
    return value;
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }
}
