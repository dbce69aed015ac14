package io.synergysched.cli;

import io.synergysched.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;

/** Runs {@code synergysched demo} in this JVM against a cluster, as a user would, for the ITs. */
final class DemoOnSharedCluster {

  /** What one demo run left behind. */
  record Outcome(int exit, String err, Path report) {}

  private DemoOnSharedCluster() {}

  /**
   * A short demo run with one simulated engine; its temporary folders go under {@code tempRoot}.
   */
  static Outcome run(String bootstrapServers, Path tempRoot, Path out, String... extra) {
    CommandLine command = SynergySched.commandLine();
    DemoCommand demo = command.getSubcommands().get("demo").getCommand();
    demo.tempRoot = tempRoot;
    StringWriter err = new StringWriter();
    command.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("demo", "--bootstrap-servers", bootstrapServers,
        "--duration", "5", "--rate-scale", "1", "--engines", "a100:llama-2-7b:tp1*1",
        "--dashboard-port", "0", "--out", out.toString()));
    args.addAll(List.of(extra));
    int exit = command.execute(args.toArray(String[]::new));
    return new Outcome(exit, err.toString(), out.resolve("report.md"));
  }

  /** The folders named {@code synergysched-demo-*} under {@code root}. */
  static List<Path> demoFolders(Path root) {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("synergysched-demo-"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The end offset of every partition of every SynergySched topic that exists. */
  static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
    List<String> names = new ArrayList<>();
    var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    for (Topics.TopicSpec<?> t : Topics.ALL) {
      if (existing.contains(t.name())) {
        names.add(t.name());
      }
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicDescription d : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS)
        .values()) {
      d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()),
          OffsetSpec.latest()));
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(request).all().get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** The report's row of a policy: sent, finished, shed, rejected. */
  static long[] reportCounts(Path report, String policy) throws IOException {
    for (String line : Files.readAllLines(report)) {
      String[] cells = line.split("\\|");
      if (cells.length > 5 && cells[1].trim().equals(policy)) {
        return new long[] {Long.parseLong(cells[2].trim()), Long.parseLong(cells[3].trim()),
            Long.parseLong(cells[4].trim()), Long.parseLong(cells[5].trim())};
      }
    }
    throw new AssertionError("no row for " + policy + " in " + Files.readString(report));
  }
}
