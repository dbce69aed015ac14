package io.synergysched.simulator.scenario;

import java.util.List;

/**
 * An experiment: a cluster, a trace, SLOs and the grid of routers x schedulers x rate scales to
 * run. Field names are the YAML keys in snake_case; docs/simulator.md lists them with defaults.
 * {@code regime} is what may shed ({@code as-shipped}, the default, {@code equal-admission},
 * {@code placement-only}; {@link io.synergysched.core.regime.Regime}), for every router and
 * scheduler of the run.
 */
public record Scenario(
    String name,
    Long seed,
    List<EngineGroup> engines,
    TraceSpec trace,
    SloSpec slo,
    List<Double> rateScales,
    List<String> routers,
    List<String> schedulers,
    Double telemetryStalenessMs,
    Boolean recordTelemetry,
    String profiles,
    Double goodputAttainment,
    Integer shedRetries,
    String regime) {

  /** {@code count} identical engines. */
  public record EngineGroup(
      String gpu,
      String model,
      Integer tp,
      Integer count,
      Boolean prefixCaching,
      Double noiseSigma,
      Integer maxModelLen,
      Integer kvBlocks,
      Double gpuMemoryUtilization,
      Double activationReserveGb,
      Boolean cpuOverhead) {}

  /** Where the requests come from. */
  public record TraceSpec(
      String path,
      String format,
      Double startS,
      Double windowS,
      Double ratePerS,
      String arrival,
      Double cv,
      Integer limit,
      MmppSpec mmpp) {}

  /**
   * Bursty arrivals: the trace's requests, in their order, re-timed by a two-state Markov-modulated
   * Poisson process at the window's own mean rate; rate scales then divide the new times as they
   * would the trace's own. Sojourn means in seconds at rate scale 1.
   */
  public record MmppSpec(Double calmS, Double burstS, Double burstRatio) {}

  public record SloSpec(Double ttftMs, Double tpotMs) {}
}
