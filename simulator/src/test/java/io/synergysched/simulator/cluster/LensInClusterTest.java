package io.synergysched.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.simulator.trace.TraceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LENS end to end on one simulated A100 engine, with a seeded synthetic burst. */
class LensInClusterTest {

  static final ProfiledStepLatency LLAMA7B = ProfiledStepLatency.load(
      ProfileDirectory.shared(), EngineSpec.parse("a100:llama-2-7b:tp1"), ProfileOptions.DEFAULT);
  static final SloTargets SLO = new SloTargets(1000, 100);

  /** {@code n} requests at {@code perSecond}, prompts 100..3000, outputs 20..300, seeded. */
  static List<TraceRequest> trace(int n, double perSecond, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TraceRequest> list = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += -Math.log(1 - random.nextDouble()) * 1000 / perSecond;
      list.add(TraceRequest.of(t, 100 + random.nextInt(2900), 20 + random.nextInt(280)));
    }
    return list;
  }

  private static RunResult run(String scheduler, List<TraceRequest> trace) {
    ClusterSimulation simulation = new ClusterSimulation(
        List.of(new EngineSetup(EngineConfig.defaults("e0"), LLAMA7B)), scheduler, 50, SLO);
    return simulation.run(trace, SimulatorRouters.create("round-robin"), null, null);
  }

  @Test
  void shouldAccountForEveryDeferredRequestWhenOverloaded() {
    RunResult r = run("lens", trace(600, 12, 5));

    SchedulerTriage t = r.triage();
    assertThat(t.shed()).isPositive();
    assertThat(t.deferred()).isEqualTo(t.deferredServed() + t.shed());
    assertThat(t.deferredServedInSlo()).isLessThanOrEqualTo(t.deferredServed());
    assertThat(r.rejected()).isEqualTo((int) t.shed());
  }

  @Test
  void shouldServeEveryoneWhenRequestsSharingAPrefixAreAdmittedInOneStep() {
    // The first admission caches the shared prefix, shrinking what the next ones must compute.
    List<TraceRequest> trace = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      trace.add(new TraceRequest(i / 8 * 5.0, 2048, 16, Double.NaN, Double.NaN, null,
          new long[] {7, 8, 9, 100 + i}));
    }
    ClusterSimulation simulation = new ClusterSimulation(
        List.of(new EngineSetup(EngineConfig.defaults("e0").withPrefixCaching(true), LLAMA7B)), "lens", 50, SLO);

    RunResult r = simulation.run(trace, SimulatorRouters.create("round-robin"), null, null);

    assertThat(r.rejected()).isZero();
    assertThat(r.sloAttainment()).isEqualTo(1.0);
  }

  @Test
  void shouldGiveIdenticalResultsWhenRunTwiceWithTheSameTrace() {
    List<TraceRequest> trace = trace(300, 8, 9);
    assertThat(run("lens", trace)).isEqualTo(run("lens", trace));
  }

  @Test
  void shouldKeepTpotWithinTargetForServedRequestsWhenOverloaded() {
    RunResult r = run("lens", trace(600, 12, 5));
    assertThat(r.servedTpotP99Ms()).isLessThanOrEqualTo(SLO.tpotMs());
  }

  @Test
  void shouldShedOnlyTimedOutRequestsWhenStaticSchedulerHasTheTimeout() {
    RunResult r = run("vllm-2048-shed", trace(600, 12, 5));
    assertThat(r.triage().shed()).isPositive();
    assertThat(r.triage().deferred()).isZero();
    assertThat(run("vllm-2048", trace(600, 12, 5)).triage()).isEqualTo(SchedulerTriage.NONE);
  }
}
