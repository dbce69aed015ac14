package io.synergysched.core.setting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalogue in a docs page, for the tests that hold the docs to the declarations: the entries
 * under one section, each a heading {@code <entry level> `NAME` ...} followed by text and, for an
 * entry with parameters, the table {@link Settings#markdownTable()} renders.
 */
public final class MarkdownCatalogue {

  /**
   * @param heading the entry's heading line
   * @param table the lines of its table ({@code |...}), empty when it has none
   * @param text every other line of the entry, joined
   */
  public record Entry(String heading, List<String> table, String text) {}

  private MarkdownCatalogue() {}

  /**
   * The entries of section {@code sectionHeading} (a whole heading line, e.g. {@code ## Plugin
   * catalogue}) of {@code page}, by name; the section ends at the next heading of its level or
   * above. Entries are the headings one level below it whose text starts with a backquoted name.
   *
   * @throws AssertionError when the page has no such section
   */
  public static Map<String, Entry> read(Path page, String sectionHeading) {
    List<String> lines;
    try {
      lines = Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = lines.indexOf(sectionHeading);
    if (start < 0) {
      throw new AssertionError(page + " has no section '" + sectionHeading + "'");
    }
    int level = level(sectionHeading);
    String entryPrefix = "#".repeat(level + 1) + " `";
    Map<String, Entry> entries = new LinkedHashMap<>();
    String name = null;
    String heading = null;
    List<String> table = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = start + 1; i <= lines.size(); i++) {
      String line = i < lines.size() ? lines.get(i) : "#";
      boolean ends = line.startsWith("#") && level(line) <= level;
      if (ends || line.startsWith(entryPrefix)) {
        if (name != null) {
          entries.put(name, new Entry(heading, List.copyOf(table), text.toString().trim()));
        }
        if (ends) {
          break;
        }
        heading = line;
        name = line.substring(entryPrefix.length(), line.indexOf('`', entryPrefix.length()));
        table.clear();
        text.setLength(0);
      } else if (name != null && line.startsWith("|")) {
        table.add(line);
      } else if (name != null) {
        text.append(line).append('\n');
      }
    }
    return entries;
  }

  private static int level(String heading) {
    int n = 0;
    while (n < heading.length() && heading.charAt(n) == '#') {
      n++;
    }
    return n;
  }
}
