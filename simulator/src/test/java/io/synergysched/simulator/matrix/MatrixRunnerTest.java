package io.synergysched.simulator.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixRunnerTest {

  @TempDir Path dir;

  private Path run(Path matrix, int threads, String out) {
    MatrixPlan plan = MatrixPlan.of(MatrixLoader.load(matrix), matrix, false, null);
    Path outDir = dir.resolve(out);
    new MatrixReport(new MatrixRunner(plan, threads, null, null).run()).write(outDir);
    return outDir;
  }

  @Test
  void shouldWriteOneRowPerCellRegimeAndPairAndTheSameBytesOnAnyThreadCount() throws IOException {
    Path matrix = TinyMatrix.write(dir, "tiny.yaml", TinyMatrix.text());

    Path two = run(matrix, 2, "two");
    Path one = run(matrix, 1, "one");

    for (String file : List.of("matrix.csv", "matrix-seeds.csv", "matrix.md")) {
      assertThat(Files.readAllBytes(two.resolve(file))).as(file).isEqualTo(Files.readAllBytes(one.resolve(file)));
    }
    List<String> rows = Files.readAllLines(two.resolve("matrix.csv"));
    assertThat(rows.get(0)).isEqualTo(MatrixReport.MATRIX_HEADER);
    // 2 workloads x 1 SLO level x 2 arrival processes, 1 regime, 3 pairs
    assertThat(rows).hasSize(1 + 4 * 3);
    assertThat(rows.subList(1, rows.size())).allSatisfy(row -> {
      String[] cells = row.split(",", -1);
      assertThat(cells).hasSize(MatrixReport.MATRIX_HEADER.split(",").length);
      assertThat(cells[9]).as("seeds").isEqualTo("3");
      assertThat(Double.parseDouble(cells[10])).as("goodput mean").isPositive()
          .isBetween(Double.parseDouble(cells[11]), Double.parseDouble(cells[12]));
    });
    // the knee is the reference's goodput, where its attainment reached the 90% target
    assertThat(rows.stream().filter(r -> r.contains(",llm-d-default,vllm-default,"))).hasSize(4)
        .allSatisfy(r -> assertThat(Double.parseDouble(r.split(",")[15])).as("attainment at knee, min")
            .isGreaterThanOrEqualTo(0.9));
    assertThat(rows.get(1)).startsWith("tuning,conv/two-a100/moderate/own,conv,two-a100,moderate,own,"
        + "as-shipped,llm-d-default,vllm-default,3,");
    assertThat(Files.readAllLines(two.resolve("matrix-seeds.csv"))).hasSize(1 + 4 * 3 * 3);
    String md = Files.readString(two.resolve("matrix.md"));
    assertThat(md).contains("## Regime as-shipped", "| routing | tuning | 2 |", "| routing | held-out | 2 |",
        "| routing | all | 4 |", "### routing: prism+vllm-default against the best of 2 baselines",
        "| held-out | conv/one-h100/moderate/bursty | ");
  }
}
