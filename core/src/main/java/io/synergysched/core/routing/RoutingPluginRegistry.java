package io.synergysched.core.routing;

import io.synergysched.core.routing.admission.AdmitAllRule;
import io.synergysched.core.routing.admission.LatencySloAdmitter;
import io.synergysched.core.routing.admission.LlumnixSloHoldRule;
import io.synergysched.core.routing.admission.NoFeasibleEngineRule;
import io.synergysched.core.routing.admission.ProfiledLatencyPredictor;
import io.synergysched.core.routing.admission.QueueThresholdRule;
import io.synergysched.core.routing.baseline.CandidateSampleFilter;
import io.synergysched.core.routing.baseline.DynamoKvPicker;
import io.synergysched.core.routing.baseline.KvCacheUtilizationScorer;
import io.synergysched.core.routing.baseline.LatencyHeadroomScorer;
import io.synergysched.core.routing.baseline.LeastRequestScorer;
import io.synergysched.core.routing.baseline.LlmdLatencyPredictor;
import io.synergysched.core.routing.baseline.LlumnixFreenessScorer;
import io.synergysched.core.routing.baseline.LlumnixInstanceStatus;
import io.synergysched.core.routing.baseline.LlumnixPredictedTtftScorer;
import io.synergysched.core.routing.baseline.LlumnixTtftFilter;
import io.synergysched.core.routing.baseline.LocalInFlightScorer;
import io.synergysched.core.routing.baseline.MaxScorePicker;
import io.synergysched.core.routing.baseline.PowerOfTwoPicker;
import io.synergysched.core.routing.baseline.PrefixCacheScorer;
import io.synergysched.core.routing.baseline.QueueScorer;
import io.synergysched.core.routing.baseline.RandomPicker;
import io.synergysched.core.routing.baseline.RoundRobinPicker;
import io.synergysched.core.routing.baseline.SessionAffinityPicker;
import io.synergysched.core.routing.baseline.SglangCacheAwarePicker;
import io.synergysched.core.routing.baseline.SloHeadroomTierFilter;
import io.synergysched.core.routing.baseline.WeightedRandomPicker;
import io.synergysched.core.routing.prism.DecodeInterferenceScorer;
import io.synergysched.core.routing.prism.FastEngineReserveScorer;
import io.synergysched.core.routing.prism.KvHeadroomScorer;
import io.synergysched.core.routing.prism.ModelForecaster;
import io.synergysched.core.routing.prism.ModelForecasterParameters;
import io.synergysched.core.routing.prism.PrefixAffinityScorer;
import io.synergysched.core.routing.prism.SloFeasibilityFilter;
import io.synergysched.core.routing.prism.SloHeadroomScorer;
import io.synergysched.core.setting.Settings;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Filters, scorers, pickers, admission rules and the components they share, by kebab-case type:
 * one line registers a type with the parameters it declares. Types are unique across kinds, so a
 * parameter key {@code profile.NAME.TYPE.KEY} names one declaration. Thread-safe (immutable).
 */
public final class RoutingPluginRegistry {

  /** What a registered type is. */
  public enum Kind {
    FILTER, SCORER, PICKER,
    /** A profile's {@code admission}: whether a request is routed, shed or held. */
    ADMISSION,
    /** Created by the plugins that share it ({@link PluginContext#shared}), never named in a profile. */
    SHARED_COMPONENT
  }

  private record Registration(Kind kind, Settings parameters, Function<PluginContext, ? extends RoutingPlugin> factory) {}

  private static final Map<String, Registration> TYPES = new TreeMap<>();

  static {
    register(Kind.FILTER, SloFeasibilityFilter.TYPE, SloFeasibilityFilter.PARAMETERS, SloFeasibilityFilter::new);
    register(Kind.FILTER, LlumnixTtftFilter.TYPE, LlumnixTtftFilter.PARAMETERS, LlumnixTtftFilter::new);
    register(Kind.FILTER, SloHeadroomTierFilter.TYPE, SloHeadroomTierFilter.PARAMETERS, SloHeadroomTierFilter::new);
    register(Kind.FILTER, CandidateSampleFilter.TYPE, CandidateSampleFilter.PARAMETERS, CandidateSampleFilter::new);

    register(Kind.SCORER, QueueScorer.TYPE, QueueScorer.PARAMETERS, c -> new QueueScorer());
    register(Kind.SCORER, KvCacheUtilizationScorer.TYPE, KvCacheUtilizationScorer.PARAMETERS,
        c -> new KvCacheUtilizationScorer());
    register(Kind.SCORER, LeastRequestScorer.TYPE, LeastRequestScorer.PARAMETERS, c -> new LeastRequestScorer());
    register(Kind.SCORER, LocalInFlightScorer.TYPE, LocalInFlightScorer.PARAMETERS, c -> new LocalInFlightScorer());
    register(Kind.SCORER, PrefixCacheScorer.TYPE, PrefixCacheScorer.PARAMETERS, PrefixCacheScorer::new);
    register(Kind.SCORER, LlumnixFreenessScorer.TYPE, LlumnixFreenessScorer.PARAMETERS, LlumnixFreenessScorer::new);
    register(Kind.SCORER, LlumnixPredictedTtftScorer.TYPE, LlumnixPredictedTtftScorer.PARAMETERS,
        LlumnixPredictedTtftScorer::new);
    register(Kind.SCORER, LatencyHeadroomScorer.TYPE, LatencyHeadroomScorer.PARAMETERS, LatencyHeadroomScorer::new);
    register(Kind.SCORER, SloHeadroomScorer.TYPE, SloHeadroomScorer.PARAMETERS, SloHeadroomScorer::new);
    register(Kind.SCORER, DecodeInterferenceScorer.TYPE, DecodeInterferenceScorer.PARAMETERS,
        DecodeInterferenceScorer::new);
    register(Kind.SCORER, FastEngineReserveScorer.TYPE, FastEngineReserveScorer.PARAMETERS,
        FastEngineReserveScorer::new);
    register(Kind.SCORER, PrefixAffinityScorer.TYPE, PrefixAffinityScorer.PARAMETERS, PrefixAffinityScorer::new);
    register(Kind.SCORER, KvHeadroomScorer.TYPE, KvHeadroomScorer.PARAMETERS, KvHeadroomScorer::new);

    register(Kind.PICKER, MaxScorePicker.TYPE, MaxScorePicker.PARAMETERS, MaxScorePicker::new);
    register(Kind.PICKER, RandomPicker.TYPE, RandomPicker.PARAMETERS, RandomPicker::new);
    register(Kind.PICKER, RoundRobinPicker.TYPE, RoundRobinPicker.PARAMETERS, c -> new RoundRobinPicker());
    register(Kind.PICKER, PowerOfTwoPicker.TYPE, PowerOfTwoPicker.PARAMETERS, PowerOfTwoPicker::new);
    register(Kind.PICKER, SessionAffinityPicker.TYPE, SessionAffinityPicker.PARAMETERS, SessionAffinityPicker::new);
    register(Kind.PICKER, DynamoKvPicker.TYPE, DynamoKvPicker.PARAMETERS, DynamoKvPicker::new);
    register(Kind.PICKER, SglangCacheAwarePicker.TYPE, SglangCacheAwarePicker.PARAMETERS, SglangCacheAwarePicker::new);
    register(Kind.PICKER, WeightedRandomPicker.TYPE, WeightedRandomPicker.PARAMETERS, WeightedRandomPicker::new);

    register(Kind.ADMISSION, AdmitAllRule.TYPE, AdmitAllRule.PARAMETERS, c -> new AdmitAllRule());
    register(Kind.ADMISSION, NoFeasibleEngineRule.TYPE, NoFeasibleEngineRule.PARAMETERS, NoFeasibleEngineRule::new);
    register(Kind.ADMISSION, LatencySloAdmitter.TYPE, LatencySloAdmitter.PARAMETERS, LatencySloAdmitter::new);
    register(Kind.ADMISSION, QueueThresholdRule.TYPE, QueueThresholdRule.PARAMETERS, QueueThresholdRule::new);
    register(Kind.ADMISSION, LlumnixSloHoldRule.TYPE, LlumnixSloHoldRule.PARAMETERS, LlumnixSloHoldRule::new);

    register(Kind.SHARED_COMPONENT, ModelForecaster.TYPE, ModelForecasterParameters.ALL, ModelForecaster::new);
    register(Kind.SHARED_COMPONENT, LlmdLatencyPredictor.TYPE, LlmdLatencyPredictor.PARAMETERS,
        LlmdLatencyPredictor::new);
    register(Kind.SHARED_COMPONENT, LlumnixInstanceStatus.TYPE, LlumnixInstanceStatus.PARAMETERS,
        LlumnixInstanceStatus::new);
    register(Kind.SHARED_COMPONENT, ProfiledLatencyPredictor.TYPE, ProfiledLatencyPredictor.PARAMETERS,
        ProfiledLatencyPredictor::new);
  }

  private RoutingPluginRegistry() {}

  private static void register(Kind kind, String type, Settings parameters,
      Function<PluginContext, ? extends RoutingPlugin> factory) {
    if (TYPES.put(type, new Registration(kind, parameters, factory)) != null) {
      throw new IllegalStateException("routing plugin type registered twice: " + type);
    }
  }

  /** The registered types of {@code kind}, sorted. */
  public static Set<String> types(Kind kind) {
    Set<String> out = new TreeSet<>();
    TYPES.forEach((type, r) -> {
      if (r.kind() == kind) {
        out.add(type);
      }
    });
    return out;
  }

  /** The kind of {@code type}, or null when no such type is registered. */
  public static Kind kind(String type) {
    Registration r = TYPES.get(type);
    return r == null ? null : r.kind();
  }

  /**
   * The parameters {@code type} declares (keys without any prefix), in docs order.
   *
   * @throws IllegalArgumentException naming the unknown type and the known ones
   */
  public static Settings parameters(String type) {
    return registration(type).parameters();
  }

  /**
   * A new instance of the type {@code context} is for (tools and tests; a router builds its
   * plugins through its profile).
   *
   * @throws IllegalArgumentException naming the unknown type or a bad parameter
   */
  public static RoutingPlugin create(PluginContext context) {
    return registration(context.component()).factory().apply(context);
  }

  static CandidateFilter filter(String type, PluginContext context) {
    return create(Kind.FILTER, CandidateFilter.class, type, context);
  }

  static CandidateScorer scorer(String type, PluginContext context) {
    return create(Kind.SCORER, CandidateScorer.class, type, context);
  }

  static CandidatePicker picker(String type, PluginContext context) {
    return create(Kind.PICKER, CandidatePicker.class, type, context);
  }

  static AdmissionRule admission(String type, PluginContext context) {
    return create(Kind.ADMISSION, AdmissionRule.class, type, context);
  }

  private static <T> T create(Kind kind, Class<T> api, String type, PluginContext context) {
    Registration r = TYPES.get(type);
    if (r == null || r.kind() != kind) {
      throw new IllegalArgumentException("profile." + context.profile().name() + ": unknown "
          + kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + type + "', known: "
          + String.join(", ", types(kind)));
    }
    return api.cast(r.factory().apply(context.forComponent(type)));
  }

  private static Registration registration(String type) {
    Registration r = TYPES.get(type);
    if (r == null) {
      throw new IllegalArgumentException("unknown routing plugin type '" + type + "', known: "
          + String.join(", ", TYPES.keySet()));
    }
    return r;
  }
}
