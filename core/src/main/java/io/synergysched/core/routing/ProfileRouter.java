package io.synergysched.core.routing;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The routing framework: a {@link RoutingProfile} run as a {@link Router}. Per request: all
 * engines are candidates; each filter narrows them (a filter that empties the set sheds the
 * request under {@code admission = shed}, else it is skipped for this request); each scorer
 * scores the survivors in [0, 1]; the weighted sums go to the picker. Every plugin is then told
 * the outcome. Allocation-free per decision once the scratch arrays have grown.
 */
public final class ProfileRouter implements Router {

  private final RoutingProfile profile;
  private final List<CandidateFilter> filters = new ArrayList<>();
  private final List<CandidateScorer> scorers = new ArrayList<>();
  private final double[] weights;
  private final CandidatePicker picker;
  private final RoutingPlugin[] plugins;
  private final boolean observes;

  private final Candidates candidates = new Candidates();
  private final Candidates beforeFilter = new Candidates();
  private double[] scores = new double[16];
  private double[] totals = new double[16];
  private boolean[] availability = new boolean[16];

  private static final String NO_ENGINE_AVAILABLE = "unavailable";
  private boolean tracing;
  private String[] removedBy;
  private DecisionTrace lastTrace;

  /**
   * Builds every plugin of {@code profile}, each from its own parameters.
   *
   * @throws IllegalArgumentException naming the unknown type, or the full key of a parameter that
   *     is unknown, bad, or set for a plugin the profile does not run
   */
  public ProfileRouter(RoutingProfile profile, Map<Class<?>, Object> sharedComponents) {
    this.profile = profile;
    PluginContext context = PluginContext.forRouter(profile, sharedComponents);
    for (String type : profile.filters()) {
      filters.add(RoutingPluginRegistry.filter(type, context));
    }
    weights = new double[profile.scorers().size()];
    for (int i = 0; i < weights.length; i++) {
      RoutingProfile.WeightedScorer s = profile.scorers().get(i);
      scorers.add(RoutingPluginRegistry.scorer(s.type(), context));
      weights[i] = s.weight();
    }
    picker = RoutingPluginRegistry.picker(profile.picker(), context);
    if (!context.unusedKeys().isEmpty()) {
      throw new IllegalArgumentException("parameter(s) of no plugin this profile runs: "
          + context.unusedKeys().stream().sorted().toList());
    }
    List<RoutingPlugin> all = new ArrayList<>(context.sharedPlugins());
    all.addAll(filters);
    all.addAll(scorers);
    all.add(picker);
    plugins = all.toArray(RoutingPlugin[]::new);
    boolean any = false;
    for (RoutingPlugin p : plugins) {
      any |= p.observesEngines();
    }
    observes = any;
  }

  @Override
  public String name() {
    return profile.name();
  }

  public RoutingProfile profile() {
    return profile;
  }

  @Override
  public int route(RoutingRequest request, List<? extends EngineView> engines) {
    int n = engines.size();
    if (scores.length < n) {
      scores = new double[n];
      totals = new double[n];
    }
    candidates.resetToAll(n);
    if (tracing) {
      removedBy = new String[n];
    }
    if (!allAvailable(engines)) {
      if (availability.length < n) {
        availability = new boolean[n];
      }
      for (int k = 0; k < n; k++) {
        availability[k] = engines.get(k).available();
      }
      candidates.retain(availability);
      if (candidates.size() == 0) {
        trace(engines, null, NO_ENGINE_AVAILABLE);
        notifyRouted(request, SHED);
        return SHED;
      }
    }
    for (CandidateFilter f : filters) {
      candidates.copyTo(beforeFilter);
      f.filter(request, engines, candidates);
      if (tracing) {
        markFiltered(beforeFilter, candidates, f);
      }
      if (candidates.size() == 0) {
        if (profile.shedWhenEmpty()) {
          trace(engines, null, f.type());
          notifyRouted(request, SHED);
          return SHED;
        }
        beforeFilter.copyTo(candidates);
      }
    }
    int m = candidates.size();
    for (int k = 0; k < m; k++) {
      totals[k] = 0;
    }
    for (int s = 0; s < weights.length; s++) {
      scorers.get(s).score(request, engines, candidates, scores);
      double w = weights[s];
      for (int k = 0; k < m; k++) {
        totals[k] += w * scores[k];
      }
    }
    int chosen = picker.pick(request, engines, candidates, totals);
    trace(engines, totals, null);
    notifyRouted(request, chosen);
    return chosen;
  }

  @Override
  public void setTracing(boolean enabled) {
    this.tracing = enabled;
  }

  @Override
  public DecisionTrace lastTrace() {
    return lastTrace;
  }

  private static boolean allAvailable(List<? extends EngineView> engines) {
    for (int k = 0, n = engines.size(); k < n; k++) {
      if (!engines.get(k).available()) {
        return false;
      }
    }
    return true;
  }

  private void markFiltered(Candidates before, Candidates after, CandidateFilter filter) {
    int a = 0;
    for (int k = 0; k < before.size(); k++) {
      int engine = before.engineAt(k);
      if (a < after.size() && after.engineAt(a) == engine) {
        a++;
      } else if (removedBy[engine] == null) {
        removedBy[engine] = filter.type();
      }
    }
  }

  private void trace(List<? extends EngineView> engines, double[] candidateTotals, String shed) {
    if (!tracing) {
      return;
    }
    int n = engines.size();
    String[] removed = removedBy;
    double[] engineScores = new double[n];
    Arrays.fill(engineScores, Double.NaN);
    for (int k = 0; k < n; k++) {
      if (!engines.get(k).available()) {
        removed[k] = NO_ENGINE_AVAILABLE;
      }
    }
    if (candidateTotals != null) {
      for (int k = 0; k < candidates.size(); k++) {
        engineScores[candidates.engineAt(k)] = candidateTotals[k];
      }
    }
    lastTrace = new DecisionTrace(removed, engineScores, shed);
  }

  private void notifyRouted(RoutingRequest request, int engine) {
    for (RoutingPlugin p : plugins) {
      p.onRouted(request, engine);
    }
  }

  @Override
  public boolean observesEngines() {
    return observes;
  }

  @Override
  public void useEngineClassPriors(Function<String, StepLatencyPrior> priors) {
    for (RoutingPlugin p : plugins) {
      p.useEngineClassPriors(priors);
    }
  }

  @Override
  public void onStepVisible(int engineIndex, StepObservation step) {
    for (RoutingPlugin p : plugins) {
      p.onStepVisible(engineIndex, step);
    }
  }

  @Override
  public void onRequestEventVisible(int engineIndex, RequestObservation event) {
    for (RoutingPlugin p : plugins) {
      p.onRequestEventVisible(engineIndex, event);
    }
  }

  @Override
  public void onResponse(int engineIndex, RequestObservation event) {
    for (RoutingPlugin p : plugins) {
      p.onResponse(engineIndex, event);
    }
  }
}
