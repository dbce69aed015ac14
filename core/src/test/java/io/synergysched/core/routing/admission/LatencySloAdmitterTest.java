package io.synergysched.core.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionDecision.Verdict;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.LatencyPredictor;
import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.TestEngine;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencySloAdmitterTest {

  private static final double NA = Double.NaN;
  private static final String[] DEFAULTS = new String[0];

  /** Predictions a test writes by hand, per engine. */
  private record FixedPredictor(double[] ttft, double[] tpot) implements LatencyPredictor {
    @Override
    public String type() {
      return "fixed-latency-predictor";
    }

    @Override
    public double ttftMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex) {
      return ttft[engineIndex];
    }

    @Override
    public double tpotMs(RoutingRequest request, List<? extends EngineView> engines, int engineIndex) {
      return tpot[engineIndex];
    }
  }

  static Stream<Arguments> cases() {
    // Every engine runs 4 requests and uses half its KV cache unless a case says otherwise;
    // targets TTFT 1,000 ms, TPOT 100 ms.
    double[] busyKv = {0.5, 0.5};
    int[] busy = {4, 4};
    return Stream.of(
        // name, parameters, predicted TTFT, predicted TPOT, running, KV share, request targets, verdict
        arguments("one engine predicted within both targets", DEFAULTS, new double[] {1500, 900},
            new double[] {50, 90}, busy, busyKv, new double[] {1000, 100}, Verdict.ADMIT),
        arguments("none within: shed", DEFAULTS, new double[] {1500, 1200}, new double[] {50, 50}, busy, busyKv,
            new double[] {1000, 100}, Verdict.SHED),
        arguments("TTFT must be strictly below the target", DEFAULTS, new double[] {1000}, new double[] {50},
            new int[] {4}, new double[] {0.5}, new double[] {1000, 100}, Verdict.SHED),
        arguments("the TPOT must fit too", DEFAULTS, new double[] {500, 500}, new double[] {120, 101}, busy,
            busyKv, new double[] {1000, 100}, Verdict.SHED),
        arguments("the buffer factor widens the TPOT bound", new String[] {"slo-buffer-factor", "1.25"},
            new double[] {500}, new double[] {120}, new int[] {4}, new double[] {0.5}, new double[] {1000, 100},
            Verdict.ADMIT),
        arguments("an idle engine admits", DEFAULTS, new double[] {1500, 1500}, new double[] {50, 50},
            new int[] {4, 0}, busyKv, new double[] {1000, 100}, Verdict.ADMIT),
        arguments("a cold engine (under 2% KV) admits", DEFAULTS, new double[] {1500, 1500}, new double[] {50, 50},
            busy, new double[] {0.5, 0.01}, new double[] {1000, 100}, Verdict.ADMIT),
        arguments("no prediction anywhere: fail open", DEFAULTS, new double[] {NA, NA}, new double[] {NA, NA},
            busy, busyKv, new double[] {1000, 100}, Verdict.ADMIT),
        arguments("engines without a prediction do not count as valid", DEFAULTS, new double[] {NA, 1500},
            new double[] {NA, 50}, busy, busyKv, new double[] {1000, 100}, Verdict.SHED),
        arguments("a request without targets is admitted", DEFAULTS, new double[] {1500}, new double[] {500},
            new int[] {4}, new double[] {0.5}, new double[] {NA, NA}, Verdict.ADMIT),
        arguments("a missing TTFT target reads as 0, as a missing header", DEFAULTS, new double[] {10},
            new double[] {50}, new int[] {4}, new double[] {0.5}, new double[] {NA, 100}, Verdict.SHED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldShedOnlyWhenNoEngineCanMeetTheSlo(String name, String[] parameters, double[] ttft, double[] tpot,
      int[] running, double[] kvShare, double[] targets, Verdict verdict) {
    List<TestEngine> engines = PluginHarness.engines(ttft.length);
    for (int i = 0; i < ttft.length; i++) {
      engines.get(i).running = running[i];
      engines.get(i).kvTotal = 1000;
      engines.get(i).kvUsed = (int) Math.round(kvShare[i] * 1000);
    }
    LatencySloAdmitter admitter = new LatencySloAdmitter(PluginHarness.context(LatencySloAdmitter.TYPE,
        Map.of(LatencyPredictor.class, new FixedPredictor(ttft, tpot)), parameters));
    RoutingRequest request = new RoutingRequest(0, 0, 100, targets[0], targets[1], null, new long[0]);

    AdmissionDecision d = PluginHarness.admit(admitter, request, engines);

    assertThat(d.verdict()).isEqualTo(verdict);
  }

  @Test
  void shouldJudgeEveryAvailableEngineWhenTheFiltersLeftFewer() {
    List<TestEngine> engines = PluginHarness.engines(2);
    for (TestEngine e : engines) {
      e.running = 4;
      e.kvUsed = 3500;
    }
    LatencySloAdmitter admitter = new LatencySloAdmitter(PluginHarness.context(LatencySloAdmitter.TYPE,
        Map.of(LatencyPredictor.class, new FixedPredictor(new double[] {1500, 500}, new double[] {50, 50}))));

    AdmissionDecision d = PluginHarness.admit(admitter, TestEngine.request(0, 0, 100), engines, 0);

    assertThat(d.verdict()).as("llm-d admits on the whole pool, before the profile's filters")
        .isEqualTo(Verdict.ADMIT);
  }

  @Test
  void shouldFailNamingTheKeyWhenThePredictorIsNoSharedComponent() {
    assertThatThrownBy(() -> new LatencySloAdmitter(
        PluginHarness.context(LatencySloAdmitter.TYPE, "predictor", "queue")))
        .hasMessageContaining("profile.test.latency-slo-admitter.predictor")
        .hasMessageContaining("profiled-latency-predictor");
  }
}
