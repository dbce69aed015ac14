package io.synergysched.topologies;

/** Every state store of the topologies, named once; interactive queries use the same names. */
public final class StoreNames {

  /** engineId to the engine's online performance model state ({@code StepLatencyModelState}). */
  public static final String MODELS = "engine-models";
  /** engineId to the engine's live status from its latest step ({@code EngineStatus}). */
  public static final String ENGINE_STATUS = "engine-status";
  /** engineId to the open SLO attainment window of that engine. */
  public static final String SLO_WINDOWS = "engine-slo-windows";
  /** engineId to the engine's descriptor from the registry topic (global store). */
  public static final String ENGINE_REGISTRY = "engine-registry";

  /** engineId to the last LENS hint published for that engine (Avro {@code LensHint}). */
  public static final String LENS_HINTS = "lens-hints";

  private StoreNames() {}
}
