package io.synergysched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** A short load run on its own in-JVM broker: every request accounted, the latency reported. */
@Timeout(240) // a hang guard, not a speed assertion
class LoadCommandIT {

  @Test
  void shouldAccountForEveryRequestOfAShortRun() {
    CommandLine command = SynergySched.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));

    int exit = command.execute("load", "--rate", "200", "--duration", "3", "--warmup", "1",
        "--engines", "a100:llama-2-7b:tp1*2", "--transaction-floor", "20");

    assertThat(exit).as("exit code; out: %s; stderr: %s", out, err).isZero();
    assertThat(out.toString())
        .contains("requests in 600, routed ")
        .contains("duplicated 0, lost 0")
        .containsPattern("routing latency \\(arrival to routed record visible\\): p50 \\d+ ms,"
            + " p99 \\d+ ms, max \\d+ ms")
        .containsPattern("commitTransaction +p50 +[0-9.]+ ms")
        .containsPattern("sent->visible +p50 +\\d+ ms")
        .containsPattern("txn\\.commit +n +\\d+ ");
  }
}
