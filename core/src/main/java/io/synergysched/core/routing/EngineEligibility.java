package io.synergysched.core.routing;

import java.util.AbstractList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which engines may serve a request at all, before any policy looks at it: an engine serves one
 * model, and takes a request only when its prompt plus its output limit fits the engine's
 * {@code max_model_len} (vLLM answers a longer one with a 400). Offered an engine that cannot serve
 * the request, a policy would misroute it to a model the client did not ask for, or send it to a
 * certain rejection.
 *
 * <p>The engines a request may not use are masked, not removed: the returned list has the same
 * indices (routers keep their state by index), and a masked engine is {@linkplain
 * EngineView#available() unavailable}, so every policy skips it the way it skips an engine that
 * left the cluster. Pure and stateless; thread-safe.
 */
public final class EngineEligibility {

  /** Why an engine was excluded: it serves another model. */
  public static final String OTHER_MODEL = "other-model";
  /** Why an engine was excluded: the request is longer than it accepts. */
  public static final String TOO_LONG = "max-model-len";

  /**
   * The engines as the policy is to see them.
   *
   * @param engines the cluster's engines with the excluded ones masked, same size and order as
   *     the input; the input list itself when none is excluded
   * @param excludedBy per engine index, {@link #OTHER_MODEL}, {@link #TOO_LONG} or null; null as a
   *     whole when none is excluded
   * @param refusal why no available engine may serve the request, or null when one may (or when
   *     none is available at all, which the policy reports itself)
   * @param refusedFor with a refusal, what refused it: {@link #OTHER_MODEL} when no available
   *     engine serves the model, {@link #TOO_LONG} when some do but none takes a request this
   *     long; null without a refusal
   */
  public record Result(
      List<? extends EngineView> engines, String[] excludedBy, String refusal, String refusedFor) {}

  private EngineEligibility() {}

  /**
   * @param model the requested model, or null (or blank) for any; compared ignoring case
   * @param promptTokens the prompt's length, tokens, &gt; 0
   * @param maxOutputTokens the most tokens the request may generate, &gt; 0
   */
  public static Result of(
      List<? extends EngineView> engines, String model, int promptTokens, int maxOutputTokens) {
    boolean anyModel = model == null || model.isBlank();
    long sequence = (long) promptTokens + maxOutputTokens;
    int n = engines.size();
    String[] excludedBy = null;
    boolean anyAvailable = false;
    boolean anyEligible = false;
    boolean anyOfModel = false;
    int longestOfModel = 0;
    for (int k = 0; k < n; k++) {
      EngineView e = engines.get(k);
      if (!e.available()) {
        continue;
      }
      anyAvailable = true;
      String why = null;
      if (!anyModel && !model.equalsIgnoreCase(e.model())) {
        why = OTHER_MODEL;
      } else {
        anyOfModel = true;
        longestOfModel = Math.max(longestOfModel, e.maxModelLen());
        if (sequence > e.maxModelLen()) {
          why = TOO_LONG;
        }
      }
      if (why == null) {
        anyEligible = true;
      } else {
        if (excludedBy == null) {
          excludedBy = new String[n];
        }
        excludedBy[k] = why;
      }
    }
    if (excludedBy == null) {
      return new Result(engines, null, null, null);
    }
    String refusal = null;
    String refusedFor = null;
    if (anyAvailable && !anyEligible) {
      refusedFor = anyOfModel ? TOO_LONG : OTHER_MODEL;
      refusal = anyOfModel
          ? "prompt of " + promptTokens + " tokens plus up to " + maxOutputTokens
              + " output tokens is longer than any engine" + (anyModel ? "" : " of model '" + model + "'")
              + " accepts (largest max_model_len " + longestOfModel + ")"
          : "no engine serves model '" + model + "' (the cluster serves " + servedModels(engines) + ")";
    }
    return new Result(new Masked(engines, excludedBy), excludedBy, refusal, refusedFor);
  }

  private static Set<String> servedModels(List<? extends EngineView> engines) {
    Set<String> models = new TreeSet<>();
    for (EngineView e : engines) {
      if (e.available()) {
        models.add(e.model().toLowerCase(Locale.ROOT));
      }
    }
    return models;
  }

  /** The engines with the excluded ones shown as unavailable. */
  private static final class Masked extends AbstractList<EngineView> {
    private final List<? extends EngineView> engines;
    private final String[] excludedBy;

    Masked(List<? extends EngineView> engines, String[] excludedBy) {
      this.engines = engines;
      this.excludedBy = excludedBy;
    }

    @Override
    public EngineView get(int index) {
      EngineView e = engines.get(index);
      return excludedBy[index] == null ? e : new Unavailable(e);
    }

    @Override
    public int size() {
      return engines.size();
    }
  }

  /** An engine as a policy sees it when the request may not use it. */
  private record Unavailable(EngineView engine) implements EngineView {
    @Override public String engineId() { return engine.engineId(); }
    @Override public String gpu() { return engine.gpu(); }
    @Override public String model() { return engine.model(); }
    @Override public int tensorParallel() { return engine.tensorParallel(); }
    @Override public double telemetryTimeMs() { return engine.telemetryTimeMs(); }
    @Override public int waiting() { return engine.waiting(); }
    @Override public int running() { return engine.running(); }
    @Override public int kvBlocksUsed() { return engine.kvBlocksUsed(); }
    @Override public int kvBlocksTotal() { return engine.kvBlocksTotal(); }
    @Override public int maxModelLen() { return engine.maxModelLen(); }
    @Override public boolean available() { return false; }
  }
}
