package io.synergysched.cli;

import io.synergysched.simulator.scenario.Scenario;
import io.synergysched.simulator.scenario.ScenarioLoader;
import io.synergysched.simulator.scenario.ScenarioRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a scenario file and writes results.csv, goodput.csv, summary.md (and telemetry.avro). A
 * trace of format {@code recording} is a {@code record} file of synergy.requests.inbound
 * ({@link InboundRequestRecording}): recorded traffic replayed against any policy.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run a scenario (YAML) on the offline cluster simulator.")
final class SimulateCommand implements Callable<Integer> {

  @Option(names = "--scenario", required = true, description = "scenario YAML file")
  Path scenarioFile;

  @Option(names = "--out", description = "output directory (default: out/<scenario name>)")
  Path out;

  @Override
  public Integer call() {
    Scenario scenario = ScenarioLoader.load(scenarioFile);
    Path outDir = out != null ? out : Path.of("out", scenario.name());
    try (TerminalProgressBar bar = new TerminalProgressBar("simulate " + scenario.name())) {
      new ScenarioRunner(scenario, scenarioFile, bar::update, AvroTelemetrySink::open,
          InboundRequestRecording::read).run(outDir);
    }
    System.out.println("wrote " + outDir.resolve("results.csv") + ", goodput.csv, summary.md");
    return 0;
  }
}
