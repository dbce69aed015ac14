package io.synergysched.core.routing;

/**
 * An engine as the router sees it: static identity plus the last telemetry that has reached the
 * router, which lags the engine's true state by the deployment's telemetry delay.
 */
public interface EngineView {

  /** Engine identifier, unique in the cluster. */
  String engineId();

  /** Accelerator name, e.g. {@code a100}. */
  String gpu();

  /** Model name, e.g. {@code llama-2-7b}. */
  String model();

  /** Tensor-parallel degree, &gt;= 1. */
  int tensorParallel();

  /** Event time of the telemetry shown, milliseconds; negative before the first report. */
  double telemetryTimeMs();

  /** Waiting requests at {@link #telemetryTimeMs()}. */
  int waiting();

  /** Running requests at {@link #telemetryTimeMs()}. */
  int running();

  /** KV blocks in use at {@link #telemetryTimeMs()}. */
  int kvBlocksUsed();

  /** KV-cache capacity, blocks. */
  int kvBlocksTotal();

  /**
   * Longest prompt plus output the engine accepts, tokens (vLLM's {@code max_model_len});
   * {@link Integer#MAX_VALUE} when unknown, as for the offline simulation, whose traces are clipped
   * to the engines' context beforehand.
   */
  default int maxModelLen() {
    return Integer.MAX_VALUE;
  }

  /**
   * False for an engine that has left the cluster (its heartbeats stopped, or it was retired):
   * such an engine keeps its index, so the callbacks stay aligned, but is never chosen. Engines of
   * the offline simulation are always available.
   */
  default boolean available() {
    return true;
  }
}
