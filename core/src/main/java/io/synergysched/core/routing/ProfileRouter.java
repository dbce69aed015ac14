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
 * available engines are candidates; each filter narrows them (when one empties the set, the
 * profile's {@link AdmissionRule} sheds or holds the request, or has that filter skipped for it);
 * the rule then admits, sheds or holds what the filters left; each scorer scores the survivors in
 * [0, 1]; the weighted sums go to the picker.
 * Every plugin is then told the outcome. Allocation-free per admitted decision once the scratch
 * arrays have grown.
 */
public final class ProfileRouter implements Router {

  private final RoutingProfile profile;
  private final List<CandidateFilter> filters = new ArrayList<>();
  private final List<CandidateScorer> scorers = new ArrayList<>();
  private final double[] weights;
  private final CandidatePicker picker;
  private final AdmissionRule admission;
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
  private double holdUntilMs = Double.NaN;

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
    admission = RoutingPluginRegistry.admission(profile.admission(), context);
    if (!context.unusedKeys().isEmpty()) {
      throw new IllegalArgumentException("parameter(s) of no plugin this profile runs: "
          + context.unusedKeys().stream().sorted().toList());
    }
    List<RoutingPlugin> all = new ArrayList<>(context.sharedPlugins());
    all.addAll(filters);
    all.addAll(scorers);
    all.add(picker);
    all.add(admission);
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
    holdUntilMs = Double.NaN;
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
        AdmissionDecision d = admission.whenNoCandidate(request, engines, f.type());
        if (!d.admitted()) {
          return refuse(request, engines, d);
        }
        beforeFilter.copyTo(candidates);
      }
    }
    AdmissionDecision d = admission.admit(request, engines, candidates);
    if (!d.admitted()) {
      return refuse(request, engines, d);
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

  /** Ends a decision the admission rule did not admit: shed, or held until the time it names. */
  private int refuse(RoutingRequest request, List<? extends EngineView> engines, AdmissionDecision d) {
    boolean hold = d.verdict() == AdmissionDecision.Verdict.HOLD;
    if (hold && !(d.holdUntilMs() > request.arrivalTimeMs())) {
      throw new IllegalStateException(admission.type() + " held request " + request.requestId() + " until "
          + d.holdUntilMs() + ", not after its decision at " + request.arrivalTimeMs());
    }
    holdUntilMs = hold ? d.holdUntilMs() : Double.NaN;
    trace(engines, null, d.reason());
    notifyRouted(request, SHED);
    return hold ? HOLD : SHED;
  }

  @Override
  public double holdUntilMs() {
    return holdUntilMs;
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
    lastTrace = new DecisionTrace(removed, engineScores, shed, holdUntilMs);
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
