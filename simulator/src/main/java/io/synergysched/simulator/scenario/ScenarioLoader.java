package io.synergysched.simulator.scenario;

import io.synergysched.core.regime.Regime;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.simulator.cluster.SimulatorRouters;
import io.synergysched.simulator.trace.MarkovModulatedArrivals;
import io.synergysched.simulator.trace.TraceFormat;
import java.nio.file.Path;

/** Reads a scenario YAML and checks it, failing fast with a message that names the bad key. */
public final class ScenarioLoader {

  private ScenarioLoader() {}

  public static Scenario load(Path file) {
    Scenario scenario = StrictYaml.read(file, Scenario.class, "scenario");
    validate(scenario, file);
    return scenario;
  }

  /**
   * Checks a scenario, whether read from a file or built by a program (the matrix runner).
   *
   * @param file where it came from, for messages
   * @throws IllegalArgumentException naming the bad key
   */
  public static void validate(Scenario s, Path file) {
    require(s.name() != null && !s.name().isBlank(), file, "name", "is required");
    require(s.engines() != null && !s.engines().isEmpty(), file, "engines", "needs at least one engine group");
    for (int i = 0; i < s.engines().size(); i++) {
      Scenario.EngineGroup g = s.engines().get(i);
      String key = "engines[" + i + "]";
      require(g.gpu() != null, file, key + ".gpu", "is required");
      require(g.model() != null, file, key + ".model", "is required");
      require(g.tp() == null || g.tp() >= 1, file, key + ".tp", "must be >= 1");
      require(g.count() == null || g.count() >= 1, file, key + ".count", "must be >= 1");
      require(g.noiseSigma() == null || g.noiseSigma() >= 0, file, key + ".noise_sigma", "must be >= 0");
    }
    require(s.trace() != null, file, "trace", "is required");
    require(s.trace().path() != null, file, "trace.path", "is required");
    require(s.trace().format() != null, file, "trace.format", "is required");
    try {
      TraceFormat.parse(s.trace().format());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
    require(s.trace().windowS() == null || s.trace().windowS() >= 0, file, "trace.window_s", "must be >= 0");
    require(s.slo() != null && s.slo().ttftMs() != null && s.slo().ttftMs() > 0, file, "slo.ttft_ms",
        "is required and must be > 0");
    require(s.slo().tpotMs() != null && s.slo().tpotMs() > 0, file, "slo.tpot_ms",
        "is required and must be > 0");
    require(s.rateScales() != null && !s.rateScales().isEmpty(), file, "rate_scales", "needs at least one value");
    for (Double scale : s.rateScales()) {
      require(scale != null && scale > 0, file, "rate_scales", "values must be > 0, got " + scale);
    }
    require(s.routers() != null && !s.routers().isEmpty(), file, "routers", "needs at least one router");
    for (String router : s.routers()) {
      require(SimulatorRouters.names().contains(router), file, "routers",
          "unknown router '" + router + "', known: " + SimulatorRouters.names());
    }
    require(s.schedulers() != null && !s.schedulers().isEmpty(), file, "schedulers", "needs at least one scheduler");
    for (String scheduler : s.schedulers()) {
      require(BatchSchedulerRegistry.names().contains(scheduler), file, "schedulers",
          "unknown scheduler '" + scheduler + "', known: " + BatchSchedulerRegistry.names());
    }
    require(s.telemetryStalenessMs() == null || s.telemetryStalenessMs() >= 0, file,
        "telemetry_staleness_ms", "must be >= 0");
    require(s.goodputAttainment() == null || (s.goodputAttainment() > 0 && s.goodputAttainment() <= 1),
        file, "goodput_attainment", "must be in (0, 1]");
    require(s.shedRetries() == null || s.shedRetries() >= 0, file, "shed_retries", "must be >= 0");
    Scenario.MmppSpec mmpp = s.trace().mmpp();
    if (mmpp != null) {
      require(mmpp.calmS() != null && mmpp.burstS() != null && mmpp.burstRatio() != null, file,
          "trace.mmpp", "needs calm_s, burst_s and burst_ratio");
      try {
        new MarkovModulatedArrivals(mmpp.calmS(), mmpp.burstS(), mmpp.burstRatio(), 0);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage());
      }
    }
    try {
      Regime.parse(s.regime());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  private static void require(boolean ok, Path file, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(file + ": " + key + " " + problem);
    }
  }
}
