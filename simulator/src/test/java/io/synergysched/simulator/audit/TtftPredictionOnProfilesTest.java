package io.synergysched.simulator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.model.predict.EngineLoad;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import io.synergysched.core.model.predict.PendingPrefill;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.SharedDataLocator;
import io.synergysched.simulator.cluster.OfflinePriorCatalog;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.engine.SimRequest;
import io.synergysched.simulator.engine.SimulatedEngine;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.simulator.trace.TraceFormat;
import io.synergysched.simulator.trace.TraceLoader;
import io.synergysched.simulator.trace.TraceRequest;
import io.synergysched.simulator.trace.TraceTransforms;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TTFT as the performance model predicts it at each arrival, from the engine's model (learned
 * online from its own noisy steps, started from its class prior) and its state then, against the
 * TTFT the simulated engine then measures: the check, median absolute error at most 10%.
 * The output lengths of the requests ahead are not known to the predictor: it uses the mean
 * output of the requests finished so far.
 */
class TtftPredictionOnProfilesTest {

  private static final int BUDGET = 8192;

  @Test
  void shouldPredictTtftWithinTenPercentMedianErrorWhenEngineIsModeratelyLoaded() {
    for (String spec : List.of("a100:llama-2-7b:tp1", "h100:llama-2-7b:tp1")) {
      double speed = spec.startsWith("h100") ? 2.0 : 1.0;
      double medianError = medianRelativeError(spec, 0.55 * speed);
      System.out.printf("TTFT prediction %s at x%.2f: median |error| %.1f%%%n", spec, 0.55 * speed,
          100 * medianError);
      assertThat(medianError).as("median relative TTFT error on %s", spec).isLessThanOrEqualTo(0.10);
    }
  }

  private static double medianRelativeError(String spec, double rateScale) {
    ProfiledStepLatency latency = ProfiledStepLatency.load(
        ProfileDirectory.shared(), EngineSpec.parse(spec), ProfileOptions.DEFAULT);
    String classKey = StepLatencyPrior.classKey(latency.spec().gpu(), latency.spec().model(),
        latency.spec().tensorParallel());
    StepLatencyModelConfig config = StepLatencyModelConfig.defaults();
    StepLatencyModel model =
        StepLatencyModel.fromPrior(OfflinePriorCatalog.fit(classKey, latency), config);
    SimulatedEngine engine = new SimulatedEngine(
        EngineConfig.defaults("e0").withNoise(0.03, 5), latency,
        BatchSchedulerRegistry.create("vllm-default"));
    double[] finishedOutput = {0, 0};
    engine.setListener(new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        model.learn(step);
      }

      @Override
      public void onRequestEvent(RequestObservation event) {
        if (event.type() == RequestPhase.FINISHED) {
          finishedOutput[0] += event.generatedTokens();
          finishedOutput[1]++;
        }
      }
    });
    List<TraceRequest> trace = TraceTransforms.clipToContext(TraceTransforms.scaleRate(
        TraceTransforms.window(TraceLoader.load(SharedDataLocator.dataRoot().resolve(
            "traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv"), TraceFormat.AZURE, null),
            0, 900), rateScale), 4096).requests();
    List<SimRequest> submitted = new ArrayList<>();
    List<Double> predicted = new ArrayList<>();
    long id = 0;
    for (TraceRequest t : trace) {
      double now = t.arrivalMs();
      while (engine.isBusy() && engine.stepEndMs() <= now) {
        engine.finishStep();
      }
      double meanOutput = finishedOutput[1] == 0 ? 200 : finishedOutput[0] / finishedOutput[1];
      EngineLoad load = load(engine, now, meanOutput);
      predicted.add(EnginePerformancePredictor.of(model.snapshot(), config)
          .admit(load, t.promptTokens(), 0, (int) Math.max(1, Math.round(meanOutput)))
          .ttftUs() / 1000.0);
      SimRequest request = new SimRequest(id++, now, t.promptTokens(), t.outputTokens(),
          Double.NaN, Double.NaN, new long[0]);
      engine.submit(request, now);
      submitted.add(request);
    }
    while (engine.isBusy()) {
      engine.finishStep();
    }
    List<Double> errors = new ArrayList<>();
    for (int i = 100; i < submitted.size(); i++) { // the first 100 arrivals warm the model up
      SimRequest r = submitted.get(i);
      if (r.isRejected() || Double.isNaN(r.firstTokenTimeMs())) {
        continue;
      }
      double measured = r.firstTokenTimeMs() - r.arrivalTimeMs();
      errors.add(Math.abs(predicted.get(i) - measured) / measured);
    }
    double[] sorted = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    assertThat(sorted.length).isGreaterThan(500);
    return sorted[sorted.length / 2];
  }

  /** The engine's state as the predictor needs it: prefill work in service order, decodes. */
  private static EngineLoad load(SimulatedEngine engine, double nowMs, double meanOutput) {
    List<PendingPrefill> queue = new ArrayList<>();
    int decodes = 0;
    long context = 0;
    double remainingOutput = 0;
    for (int i = 0; i < engine.runningCount(); i++) {
      SimRequest r = engine.runningRequest(i);
      if (r.isPrefilling()) {
        int left = r.promptTokens() - r.computedTokens();
        if (left > 0) {
          queue.add(new PendingPrefill(left, r.computedTokens()));
        }
      } else {
        decodes++;
        context += r.computedTokens();
        remainingOutput += Math.max(1, meanOutput - r.generatedTokens());
      }
    }
    for (int i = 0; i < engine.waitingCount(); i++) {
      SimRequest r = engine.waitingRequest(i);
      queue.add(new PendingPrefill(Math.max(1, r.promptTokens() + r.generatedTokens()), 0));
    }
    double stepLeftUs = engine.isBusy() ? Math.max(0, engine.stepEndMs() - nowMs) * 1000 : 0;
    return new EngineLoad(queue, decodes, context, BUDGET,
        decodes == 0 ? meanOutput : remainingOutput / decodes, stepLeftUs);
  }
}
