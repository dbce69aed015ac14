package io.synergysched.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.synergysched.core.model.layerfixture.ModelThatRoutes;
import org.junit.jupiter.api.Test;

/**
 * The layers inside {@code core}: the performance model, telemetry, SLO accounting and settings
 * are the shared foundation that PRISM (routing) and LENS (scheduling) both read, so they know
 * neither; and the cluster layer (routing) sees an engine only through {@code EngineView} and its
 * telemetry, never through the engine's scheduler.
 */
class CoreLayersTest {

  static final ArchRule FOUNDATION_KNOWS_NO_POLICY = noClasses()
      .that().resideInAnyPackage("io.synergysched.core.model..", "io.synergysched.core.telemetry..",
          "io.synergysched.core.slo..", "io.synergysched.core.setting..")
      .should().dependOnClassesThat().resideInAnyPackage("io.synergysched.core.routing..",
          "io.synergysched.core.lens..", "io.synergysched.core.scheduling..")
      .because("the model, telemetry, SLO and settings packages are what PRISM and LENS share; "
          + "a policy's code belongs in routing (cluster layer) or lens/scheduling (engine layer)");

  static final ArchRule ROUTING_DOES_NOT_REACH_INTO_ENGINES = noClasses()
      .that().resideInAPackage("io.synergysched.core.routing..")
      .should().dependOnClassesThat().resideInAnyPackage("io.synergysched.core.lens..",
          "io.synergysched.core.scheduling..")
      .because("a router sees an engine through EngineView and its telemetry, as it does across "
          + "Kafka; what an engine's scheduler decides reaches the router only as observations");

  private static JavaClasses main() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.synergysched.core");
  }

  @Test
  void shouldKeepTheFoundationFreeOfPolicies() {
    JavaClasses core = main();
    assertThat(core).isNotEmpty();
    FOUNDATION_KNOWS_NO_POLICY.check(core);
  }

  @Test
  void shouldKeepRoutingOutOfTheEngineScheduler() {
    ROUTING_DOES_NOT_REACH_INTO_ENGINES.check(main());
  }

  @Test
  void shouldCatchAModelClassThatCallsARouter() {
    JavaClasses fixture = new ClassFileImporter().importClasses(ModelThatRoutes.class);
    assertThatThrownBy(() -> FOUNDATION_KNOWS_NO_POLICY.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ModelThatRoutes")
        .hasMessageContaining("what PRISM and LENS share");
  }
}
