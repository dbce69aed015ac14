package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.PluginHarness;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.TestEngine;
import io.synergysched.core.routing.TestPriors;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import java.util.HashMap;
import java.util.Map;

/**
 * Drives a {@link LlumnixInstanceStatus} through a script of what a Llumnix router sees, for the
 * tests of the Llumnix plugins. Tokens, separated by spaces (engine {@code E} defaults to 0):
 * {@code @T} sets the clock to T ms; {@code rP[/E]} routes a request of P prompt tokens (ids 0, 1,
 * ... in order); {@code x} sheds one; {@code qI} makes request I's queued event visible;
 * {@code sP:W[:D:C][/E]} a step that ran P prefill tokens, left W waiting, decoded D sequences of
 * summed context C, ending at the clock; {@code fI:C} request I's first token visible with C cached
 * prompt tokens; {@code pI:G} request I preempted after G output tokens; {@code tI} request I's first
 * token on the response path.
 */
final class LlumnixFeed {

  private final LlumnixInstanceStatus status =
      new LlumnixInstanceStatus(PluginHarness.context(LlumnixInstanceStatus.TYPE));
  private final Map<Long, int[]> routed = new HashMap<>();
  private double clockMs;
  private long nextId;

  LlumnixFeed() {
    status.useEngineClassPriors(TestPriors.A100_AND_H100::get);
  }

  LlumnixInstanceStatus status() {
    return status;
  }

  /** The shared components a Llumnix plugin built with {@link PluginHarness#context} should see. */
  Map<Class<?>, Object> shared() {
    return Map.of(LlumnixInstanceStatus.class, status);
  }

  double clockMs() {
    return clockMs;
  }

  LlumnixFeed run(String script) {
    for (String token : script.split(" ")) {
      if (!token.isEmpty()) {
        apply(token);
      }
    }
    return this;
  }

  private void apply(String token) {
    String[] parts = token.substring(1).split("/");
    int engine = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    String[] f = parts[0].split(":");
    switch (token.charAt(0)) {
      case '@' -> clockMs = Double.parseDouble(f[0]);
      case 'r' -> {
        int prompt = Integer.parseInt(f[0]);
        routed.put(nextId, new int[] {prompt, engine});
        status.onRouted(TestEngine.request(nextId++, clockMs, prompt), engine);
      }
      case 'x' -> status.onRouted(TestEngine.request(nextId++, clockMs, 100), Router.SHED);
      case 'q' -> status.onRequestEventVisible(engineOf(f[0]), event(f[0], RequestPhase.QUEUED, 0, 0));
      case 'f' -> status.onRequestEventVisible(engineOf(f[0]),
          event(f[0], RequestPhase.FIRST_TOKEN, 1, Integer.parseInt(f[1])));
      case 'p' -> status.onRequestEventVisible(engineOf(f[0]),
          event(f[0], RequestPhase.PREEMPTED, Integer.parseInt(f[1]), 0));
      case 't' -> status.onResponse(engineOf(f[0]), event(f[0], RequestPhase.FIRST_TOKEN, 1, 0));
      case 's' -> {
        int decodes = f.length > 2 ? Integer.parseInt(f[2]) : 0;
        long context = f.length > 3 ? Long.parseLong(f[3]) : 0;
        int prefill = Integer.parseInt(f[0]);
        status.onStepVisible(engine, new StepObservation("e" + engine, 0, (long) clockMs - 10, 10_000, prefill,
            prefill > 0 ? 1 : 0, (long) prefill * prefill, 0, 0, decodes, context, 0, 7000,
            Integer.parseInt(f[1]), decodes, 0, 8192));
      }
      default -> throw new IllegalArgumentException(token);
    }
  }

  private int engineOf(String id) {
    return routed.get(Long.parseLong(id))[1];
  }

  private RequestObservation event(String id, RequestPhase type, int generated, int cached) {
    long requestId = Long.parseLong(id);
    return new RequestObservation("e", requestId, type, clockMs, routed.get(requestId)[0], generated, cached);
  }
}
