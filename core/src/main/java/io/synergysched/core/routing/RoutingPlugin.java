package io.synergysched.core.routing;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;
import java.util.function.Function;

/**
 * A building block of a {@link ProfileRouter}: a filter, a scorer, a picker or an admission rule,
 * registered in {@link RoutingPluginRegistry} under a kebab-case {@link #type()}. One instance per router
 * instance; called from the router's single thread. The callbacks mirror {@link Router}'s and are
 * forwarded by the profile router to every plugin.
 */
public interface RoutingPlugin {

  /** Registry type, kebab-case, e.g. {@code queue} or {@code slo-feasibility}. */
  String type();

  /** Whether the plugin needs engine callbacks (telemetry and responses). */
  default boolean observesEngines() {
    return false;
  }

  /**
   * The decision is made: {@code engineIndex} was chosen for {@code request}, or it is
   * {@link Router#SHED} when nothing was placed (the request was shed, or held: a held request
   * comes back later as a new decision).
   */
  default void onRouted(RoutingRequest request, int engineIndex) {}

  default void useEngineClassPriors(Function<String, StepLatencyPrior> priors) {}

  default void onStepVisible(int engineIndex, StepObservation step) {}

  default void onRequestEventVisible(int engineIndex, RequestObservation event) {}

  default void onResponse(int engineIndex, RequestObservation event) {}
}
