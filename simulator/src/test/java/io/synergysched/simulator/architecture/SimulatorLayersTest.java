package io.synergysched.simulator.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.synergysched.simulator.engine.layerfixture.EngineThatRunsScenarios;
import org.junit.jupiter.api.Test;

/**
 * The simulator's layers, bottom up: measured GPU profiles (step time), one engine (continuous
 * batching on those step times), the cluster (engines, a router, telemetry delay, traces), and
 * scenarios (files, sweeps, reports), and the workload matrix (many scenarios, seeds, comparisons). A lower layer never reaches up: the engine simulator is
 * reused by the engine-connector in wall-clock time without any cluster or scenario code.
 */
class SimulatorLayersTest {

  static final ArchRule LAYERS = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("profile").definedBy("io.synergysched.simulator.profile..")
      .layer("trace").definedBy("io.synergysched.simulator.trace..")
      .layer("engine").definedBy("io.synergysched.simulator.engine..")
      .layer("cluster").definedBy("io.synergysched.simulator.cluster..")
      .layer("scenario").definedBy("io.synergysched.simulator.scenario..")
      .layer("matrix").definedBy("io.synergysched.simulator.matrix..")
      .whereLayer("matrix").mayNotBeAccessedByAnyLayer()
      .whereLayer("scenario").mayOnlyBeAccessedByLayers("matrix")
      .whereLayer("cluster").mayOnlyBeAccessedByLayers("scenario", "matrix")
      .whereLayer("engine").mayOnlyBeAccessedByLayers("cluster", "scenario", "matrix")
      .whereLayer("trace").mayOnlyBeAccessedByLayers("cluster", "scenario", "matrix")
      .whereLayer("profile").mayOnlyBeAccessedByLayers("engine", "cluster", "scenario", "matrix")
      .because("an engine runs alone (the engine-connector drives it in wall-clock time), a cluster "
          + "is engines plus a router, a scenario is clusters plus sweeps, a matrix is scenarios plus "
          + "seeds and comparisons: code belongs to the lowest layer that needs it");

  @Test
  void shouldKeepEachLayerBelowTheOnesThatUseIt() {
    JavaClasses simulator = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.synergysched.simulator");
    assertThat(simulator).isNotEmpty();
    LAYERS.check(simulator);
  }

  @Test
  void shouldCatchAnEngineClassThatReachesUpToScenarios() {
    JavaClasses fixture = new ClassFileImporter()
        .importPackages("io.synergysched.simulator.engine.layerfixture", "io.synergysched.simulator.scenario");
    assertThatThrownBy(() -> LAYERS.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("EngineThatRunsScenarios");
  }
}
