package io.synergysched.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.simulator.SharedDataLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioRunnerTest {

  @TempDir Path dir;

  private Path scenario(long seed) throws IOException {
    return scenario(seed, "round-robin", null, "");
  }

  private Path scenario(long seed, String traceExtra) throws IOException {
    return scenario(seed, "round-robin", null, traceExtra);
  }

  /**
   * @param regime the regime key, or null to leave the key out
   * @param traceExtra more keys of {@code trace}, each after a comma, or empty
   */
  private Path scenario(long seed, String router, String regime, String traceExtra) throws IOException {
    Path trace = SharedDataLocator.dataRoot()
        .resolve("traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv");
    Path file = dir.resolve("s-" + seed + "-" + router + "-" + regime + "-" + traceExtra.hashCode() + ".yaml");
    Files.writeString(file, String.join("\n",
        "name: tiny",
        "seed: " + seed,
        "engines: [{gpu: a100, model: llama-2-7b, tp: 1, count: 2, noise_sigma: 0.1},",
        "          {gpu: a100, model: llama-3-8b, tp: 1, count: 1, prefix_caching: true}]",
        "trace: {path: " + trace + ", format: azure, window_s: 60" + traceExtra + "}",
        "slo: {ttft_ms: 1000, tpot_ms: 100}",
        "rate_scales: [1, 8]",
        "routers: [" + router + "]",
        "schedulers: [vllm-default, sarathi-512]",
        "telemetry_staleness_ms: 50",
        regime == null ? "" : "regime: " + regime,
        ""));
    return file;
  }

  private Path run(Path scenarioFile, String out) {
    Path outDir = dir.resolve(out);
    new ScenarioRunner(ScenarioLoader.load(scenarioFile), scenarioFile, null, null).run(outDir);
    return outDir;
  }

  @Test
  void shouldWriteByteIdenticalResultsWhenSeedIsTheSame() throws IOException {
    Path first = run(scenario(7), "a");
    Path second = run(scenario(7), "b");

    assertThat(Files.readAllBytes(second.resolve("results.csv")))
        .isEqualTo(Files.readAllBytes(first.resolve("results.csv")));
    assertThat(Files.readAllBytes(second.resolve("goodput.csv")))
        .isEqualTo(Files.readAllBytes(first.resolve("goodput.csv")));
    List<String> lines = Files.readAllLines(first.resolve("results.csv"));
    assertThat(lines.get(0)).isEqualTo("scenario,regime,router,scheduler,rate_scale,requests,slo_attainment,"
        + "ttft_attainment,tpot_attainment,ttft_p50_ms,ttft_p99_ms,tpot_p50_ms,tpot_p99_ms,"
        + "e2e_p50_ms,served_ttft_p50_ms,served_ttft_p99_ms,served_tpot_p50_ms,served_tpot_p99_ms,"
        + "served_e2e_p50_ms,throughput_tok_s,rejected,clipped,preemptions,steps,makespan_s,shed,held,"
        + "held_routed,sched_deferred,sched_deferred_served,sched_deferred_served_in_slo,sched_shed,"
        + "retries,retries_routed,retries_in_slo");
    assertThat(lines.get(1)).startsWith("tiny,as-shipped,round-robin,vllm-default,1,");
    assertThat(lines).hasSize(5);
    assertThat(Files.readAllLines(first.resolve("goodput.csv"))).hasSize(3);
    assertThat(Files.readString(first.resolve("summary.md"))).contains("| round-robin | sarathi-512 | 8 |");
  }

  @Test
  void shouldChangeResultsWhenSeedChanges() throws IOException {
    Path first = run(scenario(7), "a");
    Path other = run(scenario(8), "c");

    assertThat(Files.readString(other.resolve("results.csv")))
        .isNotEqualTo(Files.readString(first.resolve("results.csv")));
  }

  @Test
  void shouldNameTheUnknownKeyWhenScenarioHasATypo() throws IOException {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "name: x\nrate_scale: [1]\n");

    assertThatThrownBy(() -> ScenarioLoader.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key 'rate_scale'");
  }

  @Test
  void shouldNameTheBadKeyWhenAValueIsInvalid() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, String.join("\n", "name: x",
        "engines: [{gpu: a100, model: llama-2-7b, tp: 0}]",
        "trace: {path: t.csv, format: azure}", "slo: {ttft_ms: 1, tpot_ms: 1}",
        "rate_scales: [1]", "routers: [round-robin]", "schedulers: [vllm-default]", ""));

    assertThatThrownBy(() -> ScenarioLoader.load(file))
        .hasMessageContaining("engines[0].tp must be >= 1");
  }

  @Test
  void shouldNameTheRegimeInEveryReportWhenTheScenarioSetsOne() throws IOException {
    Path out = run(scenario(7, "prism", "placement-only", ""), "p");

    List<String> results = Files.readAllLines(out.resolve("results.csv"));
    assertThat(results.subList(1, results.size())).allSatisfy(line ->
        assertThat(line).startsWith("tiny,placement-only,prism,"));
    assertThat(Files.readAllLines(out.resolve("goodput.csv")).get(1)).startsWith("tiny,placement-only,prism,");
    assertThat(Files.readString(out.resolve("summary.md"))).contains("Regime: `placement-only`")
        .contains("TTFT p50 / p99 ms, served");
    int shed = results.get(0).indexOf(",shed,");
    assertThat(shed).isPositive();
    int shedColumn = List.of(results.get(0).split(",")).indexOf("shed");
    assertThat(results.subList(1, results.size())).as("nobody sheds in placement-only")
        .allSatisfy(line -> assertThat(line.split(",")[shedColumn]).isEqualTo("0"));
  }

  @Test
  void shouldNameTheRegimesWhenTheRegimeIsUnknown() throws IOException {
    Path file = scenario(7, "round-robin", "fair", "");

    assertThatThrownBy(() -> ScenarioLoader.load(file))
        .hasMessageContaining("regime must be one of as-shipped, equal-admission, placement-only, got 'fair'");
  }

  @Test
  void shouldRetimeTheTraceWithTheMmppWhenTheScenarioAsksForBurstyArrivals() throws IOException {
    String mmpp = ", mmpp: {calm_s: 10, burst_s: 2.5, burst_ratio: 4}";
    Path own = run(scenario(7), "own");
    Path bursty = run(scenario(7, mmpp), "bursty");
    Path again = run(scenario(7, mmpp), "again");

    assertThat(Files.readString(bursty.resolve("results.csv")))
        .isNotEqualTo(Files.readString(own.resolve("results.csv")))
        .isEqualTo(Files.readString(again.resolve("results.csv")));
    List<String> rows = Files.readAllLines(bursty.resolve("results.csv"));
    int requests = List.of(rows.get(0).split(",")).indexOf("requests");
    assertThat(rows.get(1).split(",")[requests]).as("same requests")
        .isEqualTo(Files.readAllLines(own.resolve("results.csv")).get(1).split(",")[requests]);
  }

  @Test
  void shouldNameTheKeyWhenTheMmppIsIncomplete() throws IOException {
    Path mmpp = scenario(7, ", mmpp: {calm_s: 10, burst_s: 2.5}");

    assertThatThrownBy(() -> ScenarioLoader.load(mmpp))
        .hasMessageContaining("trace.mmpp needs calm_s, burst_s and burst_ratio");
  }

  @Test
  void shouldRunAsShippedWhenTheRegimeIsGivenExplicitly() throws IOException {
    Path implicit = run(scenario(7), "implicit");
    Path explicit = dir.resolve("explicit.yaml");
    Files.writeString(explicit, Files.readString(scenario(7)) + "regime: as-shipped\n");

    assertThat(Files.readString(run(explicit, "explicit").resolve("results.csv")))
        .isEqualTo(Files.readString(implicit.resolve("results.csv")));
  }
}
