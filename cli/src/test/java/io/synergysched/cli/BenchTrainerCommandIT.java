package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** A tiny bench-trainer run on its own in-JVM broker: the table comes out with numbers in it. */
@Timeout(300) // a hang guard, not a speed assertion
class BenchTrainerCommandIT {

  @Test
  void shouldPrintFiguresForEachGuaranteeWhenRunOnTheEmbeddedBroker() {
    CommandLine command = SynergySched.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));

    int exit = command.execute("bench-trainer", "--engines", "4", "--steps", "2000",
        "--seconds", "3", "--load-rates", "500", "--probe-rate", "20",
        "--guarantees", "at_least_once,exactly_once_v2", "--partitions", "2");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    List<String[]> rows = Arrays.stream(out.toString().split("\n"))
        .filter(line -> line.startsWith("at_least_once") || line.startsWith("exactly_once_v2"))
        .map(line -> line.trim().split("\\s+"))
        .toList();
    assertThat(rows).as(out.toString()).hasSize(2);
    for (String[] row : rows) {
      assertThat(row).hasSize(13);
      assertThat(row[6]).as("every backlog step learned exactly once").isEqualTo("all");
      for (int column : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12}) {
        assertThat(Double.parseDouble(row[column])).as("column %d of %s", column, String.join(" ", row))
            .isPositive();
      }
    }
  }
}
