package io.synergysched.simulator.engine.layerfixture;

import io.synergysched.simulator.scenario.Scenario;

/** A deliberate violation for SimulatorLayersTest: engine-layer code that reads a scenario. */
public final class EngineThatRunsScenarios {

  private EngineThatRunsScenarios() {}

  public static String name(Scenario scenario) {
    return scenario.name();
  }
}
