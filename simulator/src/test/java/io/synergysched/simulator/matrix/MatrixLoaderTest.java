package io.synergysched.simulator.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.core.regime.Regime;
import io.synergysched.simulator.scenario.Scenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixLoaderTest {

  private static final Path SHIPPED = Path.of("../scenarios/matrix/matrix.yaml");

  @TempDir Path dir;

  private Path tiny(String from, String to) {
    String text = TinyMatrix.text();
    assertThat(text).contains(from);
    return TinyMatrix.write(dir, "m.yaml", text.replace(from, to));
  }

  @Test
  void shouldExpandTheShippedMatrixIntoEveryCellWhenLoaded() {
    MatrixPlan plan = MatrixPlan.of(MatrixLoader.load(SHIPPED), SHIPPED, false, null);

    assertThat(plan.cells()).hasSize(9 * 2 * 2);
    assertThat(plan.cells().stream().filter(c -> c.set().equals("tuning")))
        .as("the Azure conversation cells").hasSize(8)
        .allMatch(c -> c.trace().equals("azure-conv"));
    assertThat(plan.regimes()).containsExactly(Regime.AS_SHIPPED, Regime.EQUAL_ADMISSION, Regime.PLACEMENT_ONLY);
    assertThat(plan.pairs()).hasSize(21).first().isEqualTo(PolicyPair.parse("llm-d-default+vllm-default"));
    assertThat(plan.cells()).allSatisfy(c -> assertThat(plan.seeds(c)).hasSizeGreaterThanOrEqualTo(3));
  }

  @Test
  void shouldBuildEachCellsScenarioWithNoiseWindowAndRegimeWhenAsked() {
    MatrixPlan plan = MatrixPlan.of(MatrixLoader.load(SHIPPED), SHIPPED, false, null);
    MatrixCell bursty = plan.cells().stream()
        .filter(c -> c.id().equals("mooncake-conv/2a100-2h100-7b/tight/bursty")).findFirst().orElseThrow();

    Scenario s = plan.scenario(bursty, Regime.PLACEMENT_ONLY, 101);

    assertThat(s.regime()).isEqualTo("placement-only");
    assertThat(s.seed()).isEqualTo(101);
    assertThat(s.engines()).allSatisfy(g -> assertThat(g.noiseSigma()).isEqualTo(0.04));
    assertThat(s.trace().startS()).isEqualTo(1800);
    assertThat(s.trace().windowS()).isEqualTo(600);
    assertThat(s.trace().mmpp()).isNotNull();
    assertThat(s.slo().ttftMs()).isEqualTo(750);
  }

  @Test
  void shouldKeepTheQuickSubsetWhenQuickIsAsked() {
    MatrixPlan plan = MatrixPlan.of(MatrixLoader.load(SHIPPED), SHIPPED, true, List.of("as-shipped"));

    assertThat(plan.cells()).extracting(MatrixCell::id).containsExactly(
        "azure-conv/4xa100-7b/moderate/own", "azure-conv/4xa100-7b/moderate/bursty",
        "arxiv/2a100-2h100-7b/moderate/own", "arxiv/2a100-2h100-7b/moderate/bursty");
    assertThat(plan.regimes()).containsExactly(Regime.AS_SHIPPED);
    assertThat(plan.pairs()).hasSize(6);
    assertThat(plan.comparisons()).extracting(MatrixPlan.Comparison::name)
        .containsExactly("routing", "batching", "batching-no-triage", "batching-same-triage", "system",
            "system-vs-default");
  }

  @Test
  void shouldNameTheUnknownKeyWhenTheMatrixHasATypo() {
    assertThatThrownBy(() -> MatrixLoader.load(tiny("noise_sigma:", "noise_sigmaa:")))
        .hasMessageContaining("unknown key 'noise_sigmaa'");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("{seeds: [1, 2, 3], start_s: 0", "{seed: [1, 2, 3], start_s: 0")))
        .hasMessageContaining("unknown key 'sets.tuning.seed'");
  }

  @Test
  void shouldNameTheBadKeyWhenAValueIsInvalid() {
    assertThatThrownBy(() -> MatrixLoader.load(tiny("seeds: [1, 2, 3]", "seeds: [1, 2]")))
        .hasMessageContaining("sets.tuning.seeds needs at least 3 distinct seeds");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("noise_sigma: 0.04", "noise_sigma: 0")))
        .hasMessageContaining("noise_sigma is required and must be > 0");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("round-robin+vllm-default", "round-robn+vllm-default")))
        .hasMessageContaining("comparisons[0].baselines[0] unknown router 'round-robn'");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("ours: prism+vllm-default", "ours: prism")))
        .hasMessageContaining("comparisons[0].ours: 'prism' is not router+scheduler");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("{trace: conv, cluster: one-h100", "{trace: code, cluster: one-h100")))
        .hasMessageContaining("workloads[1].trace 'code' is not one of traces [conv]");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("count: 1}", "count: 1, noise_sigma: 0.1}")))
        .hasMessageContaining("clusters.one-h100[0].noise_sigma is set by the matrix's noise_sigma");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("regimes: [as-shipped]", "regimes: [as-shiped]")))
        .hasMessageContaining("regimes[0]: regime must be one of as-shipped, equal-admission, placement-only, got 'as-shiped'");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("format: azure}", "format: azure, window_s: 60}")))
        .hasMessageContaining("traces.conv.trace takes its window from the set");
    assertThatThrownBy(() -> MatrixLoader.load(tiny("workloads: [conv/two-a100]", "workloads: [conv/none]")))
        .hasMessageContaining("quick.workloads[0] 'conv/none' is not a workload");
  }
}
