package io.synergysched.core.regime;

import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingProfile;
import io.synergysched.core.routing.admission.NoFeasibleEngineRule;
import io.synergysched.core.routing.prism.ModelForecaster;
import io.synergysched.core.routing.prism.SloFeasibilityFilter;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What may shed in a comparison, applied alike to every router and scheduler of a run (scenario
 * key {@code regime}). Each constant maps a profile to the one that runs in the regime; the
 * mapping is a pure function of the profile (and, for routers, of the profile whose admission is
 * shared), keeps the profile's name, and leaves its placement (scorers, picker, batching) alone.
 */
public enum Regime {

  /** Every policy with the admission it ships with: the profiles as written. */
  AS_SHIPPED,

  /**
   * One admission for all: every router runs PRISM's feasibility filter ({@code slo-feasibility},
   * with PRISM's parameters and its forecaster) in front of its own filters and sheds only when
   * that filter finds no engine ({@code no-feasible-engine}); its own filters no longer shed or
   * hold (one that empties the set is skipped). Every scheduler gets LENS's triage. A table then
   * measures placement and batching alone.
   */
  EQUAL_ADMISSION,

  /** Nobody sheds: every router admits everything ({@code none}), no scheduler sheds. */
  PLACEMENT_ONLY;

  /** What the regime means, in a phrase for reports. */
  public String meaning() {
    return switch (this) {
      case AS_SHIPPED -> "every router and scheduler with the admission it ships with";
      case EQUAL_ADMISSION -> "every router behind PRISM's feasibility filter and shed rule, every scheduler"
          + " with LENS's triage";
      case PLACEMENT_ONLY -> "no router and no scheduler sheds";
    };
  }

  /** The scenario spelling, e.g. {@code equal-admission}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The regime spelled {@code key}; null or blank is {@link #AS_SHIPPED}.
   *
   * @throws IllegalArgumentException naming the known regimes
   */
  public static Regime parse(String key) {
    if (key == null || key.isBlank()) {
      return AS_SHIPPED;
    }
    for (Regime r : values()) {
      if (r.key().equals(key.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException("regime must be one of "
        + Arrays.stream(values()).map(Regime::key).collect(Collectors.joining(", ")) + ", got '" + key + "'");
  }

  /** {@link #routingProfile(RoutingProfile, RoutingProfile)} with the built-in {@code prism} profile's admission. */
  public RoutingProfile routingProfile(RoutingProfile profile) {
    return routingProfile(profile, RouterRegistry.profile(RouterRegistry.PRISM));
  }

  /**
   * The profile that runs in this regime.
   *
   * @param admissionSource the profile whose feasibility filter and forecaster parameters every
   *     router gets under {@link #EQUAL_ADMISSION} (PRISM's)
   */
  public RoutingProfile routingProfile(RoutingProfile profile, RoutingProfile admissionSource) {
    return switch (this) {
      case AS_SHIPPED -> profile;
      case PLACEMENT_ONLY -> withAdmission(profile, profile.filters(), RoutingProfile.NO_ADMISSION, Map.of(),
          profile.params());
      case EQUAL_ADMISSION -> equalAdmission(profile, admissionSource);
    };
  }

  /**
   * The scheduler profile that runs in this regime: LENS's triage under {@link #EQUAL_ADMISSION}
   * (a static policy gets the {@code -shed} profiles' timeout), none under {@link #PLACEMENT_ONLY}.
   */
  public SchedulerProfile schedulerProfile(SchedulerProfile profile) {
    return switch (this) {
      case AS_SHIPPED -> profile;
      case EQUAL_ADMISSION -> BatchSchedulerRegistry.withTriage(profile, true);
      case PLACEMENT_ONLY -> BatchSchedulerRegistry.withTriage(profile, false);
    };
  }

  private static RoutingProfile equalAdmission(RoutingProfile profile, RoutingProfile source) {
    List<String> filters = new ArrayList<>(profile.filters());
    Map<String, String> params = new TreeMap<>(profile.params());
    if (!filters.contains(SloFeasibilityFilter.TYPE)) {
      filters.add(0, SloFeasibilityFilter.TYPE);
      // The filter and the forecaster behind it as PRISM runs them; a profile that runs the filter
      // itself (PRISM's own variants) keeps its parameters.
      source.params().forEach((key, value) -> {
        if (key.startsWith(SloFeasibilityFilter.TYPE + ".") || key.startsWith(ModelForecaster.TYPE + ".")) {
          params.putIfAbsent(key, value);
        }
      });
    }
    return withAdmission(profile, filters, RoutingProfile.NO_FEASIBLE_ENGINE,
        Map.of(NoFeasibleEngineRule.TYPE + ".filter", SloFeasibilityFilter.TYPE), params);
  }

  /**
   * {@code profile} with these filters and admission rule; the parameters of the rule it had are
   * dropped (they belong to a rule that no longer runs), {@code ruleParams} (full {@code TYPE.KEY}
   * keys) added.
   */
  private static RoutingProfile withAdmission(RoutingProfile profile, List<String> filters, String admission,
      Map<String, String> ruleParams, Map<String, String> params) {
    Map<String, String> kept = new TreeMap<>();
    params.forEach((key, value) -> {
      if (!key.startsWith(profile.admission() + ".")) {
        kept.put(key, value);
      }
    });
    kept.putAll(ruleParams);
    // Every key counts as inherited: the profile was checked as written, and a parameter of a
    // component only the replaced rule used (its latency predictor) is left unused, not an error.
    Set<String> inherited = new HashSet<>(kept.keySet());
    return new RoutingProfile(profile.name(), filters, profile.scorers(), profile.picker(), admission, kept,
        inherited);
  }
}
