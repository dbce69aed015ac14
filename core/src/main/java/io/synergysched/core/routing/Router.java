package io.synergysched.core.routing;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;
import java.util.List;
import java.util.function.Function;

/**
 * Picks the engine for each arriving request. Called once per request, in arrival order, from a
 * single thread; implementations may keep state (e.g. a round-robin cursor) across calls. All
 * callbacks below come from that same thread, interleaved with {@link #route} in event-time
 * order.
 */
public interface Router {

  /** Returned by {@link #route} to shed the request (admission control); it counts as an SLO miss. */
  int SHED = -1;

  /**
   * Returned by {@link #route} to hold the request: nothing is placed now, and the host offers it
   * again, as a new decision, at {@link #holdUntilMs()} (Llumnix's gateway keeps retrying the
   * scheduler this way). A host that cannot hold requests treats HOLD as {@link #SHED}.
   */
  int HOLD = -2;

  /** Registry name, kebab-case (e.g. {@code round-robin}). */
  String name();

  /**
   * @param engines every engine of the cluster, in a fixed order, never empty; views are valid
   *     only during this call
   * @return index into {@code engines} of the chosen engine, {@link #SHED} or {@link #HOLD}
   */
  int route(RoutingRequest request, List<? extends EngineView> engines);

  /**
   * After {@link #route} returned {@link #HOLD}: when to offer the request again, ms on the
   * request's clock, later than that decision. NaN after any other outcome.
   */
  default double holdUntilMs() {
    return Double.NaN;
  }

  /**
   * Turns on recording of {@link #lastTrace()} for the decisions that follow. Off by default: the
   * simulator does not pay for it; the Kafka router writes each trace to its audit topic.
   */
  default void setTracing(boolean enabled) {}

  /**
   * Why the last {@link #route} call decided as it did (tracing on), or null when this router
   * keeps no trace. Valid until the next call.
   */
  default DecisionTrace lastTrace() {
    return null;
  }

  /**
   * Whether this router wants the engine callbacks below. Telemetry records are built only for
   * routers that ask, so state-blind routers cost nothing extra.
   */
  default boolean observesEngines() {
    return false;
  }

  /**
   * Cold-start priors for the step-latency models, by {@link StepLatencyPrior#classKey} (the
   * function returns null for an unknown class). Called at most once, before the first request.
   */
  default void useEngineClassPriors(Function<String, StepLatencyPrior> priors) {}

  /**
   * A step report of engine {@code engineIndex}, delivered when it becomes visible to the router:
   * after the deployment's telemetry delay, like everything the metrics pipeline carries.
   */
  default void onStepVisible(int engineIndex, StepObservation step) {}

  /** A request event of engine {@code engineIndex}, delivered after the telemetry delay. */
  default void onRequestEventVisible(int engineIndex, RequestObservation event) {}

  /**
   * First token or completion of a request this router routed, delivered when it happens, as a
   * proxy in the response path sees it (Envoy's and nginx's in-flight counters work this way).
   * Only {@code FIRST_TOKEN}, {@code FINISHED} and {@code REJECTED} events come here.
   */
  default void onResponse(int engineIndex, RequestObservation event) {}
}
