package io.synergysched.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code core} is pure Java: the same algorithms run in the simulator, in Kafka Streams and in the
 * router, so nothing in it may depend on Kafka or Avro. Checked twice: on the compiled classes
 * (every reference, including fully qualified names) and on the sources (every import, including
 * unused ones the compiler drops).
 */
class CoreIsPureJavaTest {

  private static final String[] FORBIDDEN = {"org.apache.kafka..", "org.apache.avro.."};
  private static final Pattern FORBIDDEN_IMPORT =
      Pattern.compile("^\\s*import\\s+(static\\s+)?org\\.apache\\.(kafka|avro)\\.", Pattern.MULTILINE);

  @Test
  void shouldNotDependOnKafkaOrAvroWhenCompiled() {
    JavaClasses core = mainClasses("io.synergysched.core");

    assertThat(core).isNotEmpty();
    noDependencyOn(FORBIDDEN).check(core);
  }

  @Test
  void shouldKeepRoutingPluginPackagesApartWhenCompiled() {
    JavaClasses core = mainClasses("io.synergysched.core.routing");

    assertThat(core.containPackage("io.synergysched.core.routing.prism")).isTrue();
    assertThat(core.containPackage("io.synergysched.core.routing.baseline")).isTrue();
    pluginPackagesApart().check(core);
  }

  @Test
  void shouldNotImportKafkaOrAvroWhenReadingSources() throws IOException {
    Path sources = Path.of("src", "main", "java");
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      List<Path> offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> importsForbidden(read(p)))
              .toList();
      assertThat(offenders).isEmpty();
    }
  }

  @Test
  void shouldCatchAViolationWhenOneExists() {
    // The same rule, aimed at a package this fixture does use, must fail: the check can fail.
    JavaClasses fixture = new ClassFileImporter().importClasses(UsesConcurrency.class);
    assertThatThrownBy(() -> noDependencyOn("java.util.concurrent..").check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.util.concurrent");
    assertThat(importsForbidden("package x;\n\nimport org.apache.kafka.clients.producer.Producer;\n"))
        .isTrue();
    assertThat(importsForbidden("package x;\nimport static org.apache.avro.Schema.create;\n"))
        .isTrue();
    assertThat(importsForbidden("package x;\n// import org.apache.kafka is mentioned in a comment\n"))
        .isFalse();
  }

  /**
   * PRISM and the baselines are peers in one framework: either can change, or be left out, without
   * the other. A piece both use belongs in the framework package.
   */
  private static ArchRule pluginPackagesApart() {
    return slices().matching("io.synergysched.core.routing.(*)..").should().notDependOnEachOther()
        .because("routing.prism and routing.baseline are peer plugin packages; code both use (a score"
            + " normalization, the routed-prefix index) belongs in io.synergysched.core.routing, next to"
            + " the plugin SPI");
  }

  private static JavaClasses mainClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(rootPackage);
  }

  private static ArchRule noDependencyOn(String... packages) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(packages);
  }

  private static boolean importsForbidden(String source) {
    return FORBIDDEN_IMPORT.matcher(source).find();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fixture for the negative check. */
  static final class UsesConcurrency {
    final java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong();
  }
}
