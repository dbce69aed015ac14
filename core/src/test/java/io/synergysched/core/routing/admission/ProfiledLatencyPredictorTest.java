package io.synergysched.core.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.routing.TestPriors;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfiledLatencyPredictorTest {

  private static ProfiledLatencyPredictor predictor() {
    ProfiledLatencyPredictor p = new ProfiledLatencyPredictor(PluginHarness.context(ProfiledLatencyPredictor.TYPE));
    p.useEngineClassPriors(TestPriors.A100_AND_H100::get);
    return p;
  }

  @Test
  void shouldPredictALongerTtftWhenTheRouterSentMorePrefillThere() {
    ProfiledLatencyPredictor p = predictor();
    List<TestEngine> engines = PluginHarness.engines(2);
    for (int k = 0; k < 4; k++) {
      p.onRouted(TestEngine.request(k, k, 4000), 0);
    }

    double loaded = p.ttftMs(TestEngine.request(10, 10, 1000), engines, 0);
    double idle = p.ttftMs(TestEngine.request(10, 10, 1000), engines, 1);

    assertThat(idle).isPositive();
    assertThat(loaded).isGreaterThan(idle + 100);
  }

  @Test
  void shouldForgetAPrefillWhenItsFirstTokenArrives() {
    ProfiledLatencyPredictor p = predictor();
    List<TestEngine> engines = PluginHarness.engines(1);
    double idle = p.ttftMs(TestEngine.request(0, 0, 1000), engines, 0);
    p.onRouted(TestEngine.request(1, 1, 4000), 0);
    assertThat(p.ttftMs(TestEngine.request(2, 2, 1000), engines, 0)).isGreaterThan(idle);

    p.onResponse(0, new RequestObservation("e0", 1, RequestPhase.FIRST_TOKEN, 50, 4000, 1, 0));

    assertThat(p.ttftMs(TestEngine.request(3, 3, 1000), engines, 0)).isEqualTo(idle);
  }

  @Test
  void shouldPredictAFasterEngineFasterWhenItsClassIs() {
    ProfiledLatencyPredictor p = predictor();
    List<TestEngine> engines = List.of(new TestEngine("a", "a100"), new TestEngine("h", "h100"));
    for (TestEngine e : engines) {
      e.running = 32;
    }

    assertThat(p.ttftMs(TestEngine.request(0, 0, 2000), engines, 1))
        .isLessThan(p.ttftMs(TestEngine.request(0, 0, 2000), engines, 0));
    assertThat(p.tpotMs(TestEngine.request(0, 0, 2000), engines, 1))
        .isLessThan(p.tpotMs(TestEngine.request(0, 0, 2000), engines, 0));
  }

  @Test
  void shouldPredictNothingWhenTheClassHasNoProfile() {
    ProfiledLatencyPredictor p = predictor();
    List<TestEngine> engines = List.of(new TestEngine("x", "mi300"));

    assertThat(p.ttftMs(TestEngine.request(0, 0, 100), engines, 0)).isNaN();
    assertThat(p.tpotMs(TestEngine.request(0, 0, 100), engines, 0)).isNaN();
  }
}
