package io.synergysched.cli.reliability;

import io.synergysched.cli.load.LoadReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The fault suite's results table, {@code target/reliability/fault-table.md}: one row per fault,
 * rewritten from the rows of this build's tests (each test leaves its row in a file of its own,
 * so a test run alone refreshes its row and keeps the others).
 */
final class FaultTable {

  static final Path DIR = Path.of("target", "reliability");

  private FaultTable() {}

  /** Records one fault's row and rewrites the table. */
  static synchronized void record(String slug, String fault, String load, LoadReport r,
      String notes) {
    String row = String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %d | %d / %d | %s |",
        fault, load, r.in(), r.lost(), r.duplicated(),
        r.recoveryMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", r.recoveryMs() / 1000.0),
        r.deadLettered(), r.rejected(), r.servedAfterRejection(), notes);
    write(slug, row);
  }

  /** Records a row whose figures are not a load report's (the fuzz suite). */
  static synchronized void recordRow(String slug, String row) {
    write(slug, row);
  }

  private static void write(String slug, String row) {
    try {
      Files.createDirectories(DIR.resolve("rows"));
      Files.writeString(DIR.resolve("rows").resolve(slug + ".md"), row + "\n", StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      lines.add("| fault | load | requests | lost | duplicated | recovery | dead-lettered"
          + " | REJECTED by engines / then served | notes |");
      lines.add("|---|---|---|---|---|---|---|---|---|");
      try (Stream<Path> rows = Files.list(DIR.resolve("rows"))) {
        for (Path p : rows.sorted().toList()) {
          lines.add(Files.readString(p, StandardCharsets.UTF_8).strip());
        }
      }
      Files.write(DIR.resolve("fault-table.md"), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
