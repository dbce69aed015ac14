package io.synergysched.simulator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.simulator.trace.TraceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingInSimulationTest {

  private static List<EngineSetup> engines;

  @BeforeAll
  static void loadProfiles() {
    ProfiledStepLatency a100 = ProfiledStepLatency.load(ProfileDirectory.shared(),
        new EngineSpec("a100", "llama-2-7b", 1), ProfileOptions.DEFAULT);
    engines = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      engines.add(new EngineSetup(new EngineConfig("a100-" + i, 16, 0.9, 2.0, false, 0, 7 + i, 0, 0).validate(), a100));
    }
  }

  /** Poisson arrivals of 1,000-token prompts with 100-token outputs at {@code ratePerS}. */
  private static List<TraceRequest> trace(double ratePerS, int n) {
    SplittableRandom random = new SplittableRandom(5);
    List<TraceRequest> t = new ArrayList<>();
    double at = 0;
    for (int i = 0; i < n; i++) {
      at += -Math.log(1 - random.nextDouble()) * 1000 / ratePerS;
      t.add(TraceRequest.of(at, 1000, 100));
    }
    return t;
  }

  private static RunResult run(String router, double ratePerS, double stalenessMs) {
    return new ClusterSimulation(engines, "vllm-default", stalenessMs, new SloTargets(1000, 100))
        .run(trace(ratePerS, 1500), SimulatorRouters.create(router), null, null);
  }

  @Test
  void shouldShedAndCountSheddingAsMissesWhenPrismFacesOverload() {
    RunResult r = run("prism", 60, 50);
    assertTrue(r.shed() > 0, "shed " + r.shed());
    assertEquals(0, r.rejected());
    assertTrue(r.sloAttainment() <= 1.0 - (double) r.shed() / r.requests() + 1e-9);
  }

  @Test
  void shouldShedNothingWhenPrismRunsAtLightLoad() {
    RunResult r = run("prism", 2, 50);
    assertEquals(0, r.shed());
    assertEquals(1.0, r.sloAttainment(), 1e-9);
  }

  @Test
  void shouldRepeatExactlyWhenRunTwiceWithTheSameInputs() {
    for (String router : List.of("prism", "oracle", "llm-d-default", "power-of-two")) {
      assertEquals(run(router, 30, 1000), run(router, 30, 1000), router);
    }
  }

  @Test
  void shouldBeatPolledLeastRequestWhenTelemetryIsTenSecondsOld() {
    double prism = run("prism", 25, 10_000).sloAttainment();
    double polled = run("least-request", 25, 10_000).sloAttainment();
    assertTrue(prism > polled, "prism " + prism + " vs least-request " + polled);
  }
}
