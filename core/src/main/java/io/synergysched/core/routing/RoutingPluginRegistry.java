package io.synergysched.core.routing;

import io.synergysched.core.routing.baseline.CandidateSampleFilter;
import io.synergysched.core.routing.baseline.KvCacheUtilizationScorer;
import io.synergysched.core.routing.baseline.LeastRequestScorer;
import io.synergysched.core.routing.baseline.LlumnixFreenessScorer;
import io.synergysched.core.routing.baseline.LlumnixTtftFilter;
import io.synergysched.core.routing.baseline.LocalInFlightScorer;
import io.synergysched.core.routing.baseline.MaxScorePicker;
import io.synergysched.core.routing.baseline.PowerOfTwoPicker;
import io.synergysched.core.routing.baseline.PrefixCacheScorer;
import io.synergysched.core.routing.baseline.QueueScorer;
import io.synergysched.core.routing.baseline.RandomPicker;
import io.synergysched.core.routing.baseline.RoundRobinPicker;
import io.synergysched.core.routing.baseline.SessionAffinityPicker;
import io.synergysched.core.routing.prism.DecodeInterferenceScorer;
import io.synergysched.core.routing.prism.FastEngineReserveScorer;
import io.synergysched.core.routing.prism.KvHeadroomScorer;
import io.synergysched.core.routing.prism.PrefixAffinityScorer;
import io.synergysched.core.routing.prism.SloFeasibilityFilter;
import io.synergysched.core.routing.prism.SloHeadroomScorer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Filters, scorers and pickers by kebab-case type: one line registers a plugin. Thread-safe (immutable). */
public final class RoutingPluginRegistry {

  private static final Map<String, Function<PluginContext, CandidateFilter>> FILTERS = new TreeMap<>();
  private static final Map<String, Function<PluginContext, CandidateScorer>> SCORERS = new TreeMap<>();
  private static final Map<String, Function<PluginContext, CandidatePicker>> PICKERS = new TreeMap<>();

  static {
    FILTERS.put(SloFeasibilityFilter.TYPE, SloFeasibilityFilter::new);
    FILTERS.put(LlumnixTtftFilter.TYPE, LlumnixTtftFilter::new);
    FILTERS.put(CandidateSampleFilter.TYPE, CandidateSampleFilter::new);

    SCORERS.put(QueueScorer.TYPE, c -> new QueueScorer());
    SCORERS.put(KvCacheUtilizationScorer.TYPE, c -> new KvCacheUtilizationScorer());
    SCORERS.put(LeastRequestScorer.TYPE, c -> new LeastRequestScorer());
    SCORERS.put(LocalInFlightScorer.TYPE, c -> new LocalInFlightScorer());
    SCORERS.put(PrefixCacheScorer.TYPE, PrefixCacheScorer::new);
    SCORERS.put(LlumnixFreenessScorer.TYPE, c -> new LlumnixFreenessScorer());
    SCORERS.put(SloHeadroomScorer.TYPE, SloHeadroomScorer::new);
    SCORERS.put(DecodeInterferenceScorer.TYPE, DecodeInterferenceScorer::new);
    SCORERS.put(FastEngineReserveScorer.TYPE, FastEngineReserveScorer::new);
    SCORERS.put(PrefixAffinityScorer.TYPE, PrefixAffinityScorer::new);
    SCORERS.put(KvHeadroomScorer.TYPE, KvHeadroomScorer::new);

    PICKERS.put(MaxScorePicker.TYPE, MaxScorePicker::new);
    PICKERS.put(RandomPicker.TYPE, RandomPicker::new);
    PICKERS.put(RoundRobinPicker.TYPE, c -> new RoundRobinPicker());
    PICKERS.put(PowerOfTwoPicker.TYPE, PowerOfTwoPicker::new);
    PICKERS.put(SessionAffinityPicker.TYPE, SessionAffinityPicker::new);
  }

  private RoutingPluginRegistry() {}

  static CandidateFilter filter(String type, PluginContext context) {
    return create(FILTERS, "filter", type, context);
  }

  static CandidateScorer scorer(String type, PluginContext context) {
    return create(SCORERS, "scorer", type, context);
  }

  static CandidatePicker picker(String type, PluginContext context) {
    return create(PICKERS, "picker", type, context);
  }

  private static <T> T create(Map<String, Function<PluginContext, T>> map, String kind, String type,
      PluginContext context) {
    Function<PluginContext, T> f = map.get(type);
    if (f == null) {
      throw new IllegalArgumentException("profile." + context.profile().name() + ": unknown " + kind
          + " '" + type + "', known: " + String.join(", ", map.keySet()));
    }
    return f.apply(context);
  }
}
