package io.synergysched.core.routing.admission;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionRule;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.LatencyPredictor;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingPluginRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * llm-d's {@code latency-slo-admitter}: rejects a request only when no engine can serve it within
 * its SLO. Over every available engine (llm-d runs it on the whole pool, before the scheduling
 * profile's filters): an engine is <i>valid</i> when its predicted TTFT is below the TTFT target
 * and its predicted TPOT below the TPOT target times {@code slo-buffer-factor}; <i>idle</i> when
 * its polled metrics show no running request; <i>cold</i> when they show under
 * {@code cold-kv-utilization} of its KV cache in use (predictions there are not trusted). The
 * request is admitted when any engine is valid, idle or cold, when it carries no SLO, or when no
 * engine has a prediction at all (fail open); else shed.
 *
 * <p>The predictions come from the shared {@link LatencyPredictor} named by {@code predictor}
 * (llm-d's online predictor in its predicted-latency profile). llm-d admits requests of priority
 * &gt;= 0 unconditionally; the simulation's requests carry no priority and are all treated as
 * sheddable, the only case in which the admitter acts.
 */
public final class LatencySloAdmitter implements AdmissionRule {

  public static final String TYPE = "latency-slo-admitter";

  private static final Setting<String> PREDICTOR = Setting.text("predictor", ProfiledLatencyPredictor.TYPE,
      "[a-z0-9]+(-[a-z0-9]+)*", "a shared component type",
      "the latency predictor (a shared component implementing LatencyPredictor) whose predictions it reads");
  private static final Setting<Double> SLO_BUFFER = Setting.number("slo-buffer-factor", 1.0, 0.01, 100,
      "an engine is valid when its predicted TPOT is below this times the TPOT target (llm-d's sloBufferFactor)");
  private static final Setting<Double> COLD_KV = Setting.number("cold-kv-utilization", 0.02, 0, 1,
      "an engine using less than this share of its KV cache is cold: its predictions are not trusted and"
          + " it admits (llm-d: 2%)");
  public static final Settings PARAMETERS = Settings.of(PREDICTOR, SLO_BUFFER, COLD_KV);

  private static final AdmissionDecision NO_VALID_ENGINE =
      AdmissionDecision.shed(TYPE + ": no engine is predicted within the SLO, none is idle or cold");

  private final LatencyPredictor predictor;
  private final double sloBuffer;
  private final double coldKv;

  public LatencySloAdmitter(PluginContext context) {
    String type = context.get(PREDICTOR);
    if (RoutingPluginRegistry.kind(type) != RoutingPluginRegistry.Kind.SHARED_COMPONENT) {
      throw new IllegalArgumentException("profile." + context.profile().name() + "." + TYPE + ".predictor: '"
          + type + "' is not a shared component, known: "
          + RoutingPluginRegistry.types(RoutingPluginRegistry.Kind.SHARED_COMPONENT));
    }
    this.predictor = context.shared(LatencyPredictor.class, type);
    this.sloBuffer = context.get(SLO_BUFFER);
    this.coldKv = context.get(COLD_KV);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public AdmissionDecision admit(RoutingRequest request, List<? extends EngineView> engines,
      Candidates candidates) {
    // A target the request does not carry reads as 0, as llm-d reads a missing SLO header.
    double ttftSlo = request.sloTtftMs() > 0 ? request.sloTtftMs() : 0;
    double tpotSlo = request.sloTpotMs() > 0 ? request.sloTpotMs() : 0;
    if (ttftSlo == 0 && tpotSlo == 0) {
      return AdmissionDecision.ADMIT;
    }
    boolean anyPrediction = false;
    for (int i = 0, n = engines.size(); i < n; i++) {
      EngineView e = engines.get(i);
      if (!e.available()) {
        continue;
      }
      if (e.running() == 0 || QueueThresholdRule.kvShare(e) < coldKv) {
        return AdmissionDecision.ADMIT;
      }
      double ttft = predictor.ttftMs(request, engines, i);
      double tpot = predictor.tpotMs(request, engines, i);
      if (Double.isNaN(ttft) || Double.isNaN(tpot)) {
        continue;
      }
      anyPrediction = true;
      if (ttft < ttftSlo && tpot < tpotSlo * sloBuffer) {
        return AdmissionDecision.ADMIT;
      }
    }
    return anyPrediction ? NO_VALID_ENGINE : AdmissionDecision.ADMIT;
  }
}
