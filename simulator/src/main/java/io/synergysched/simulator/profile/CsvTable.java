package io.synergysched.simulator.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV file held in memory, columns addressed by header name. Profile files have no quoted
 * fields, so a plain split is enough and keeps loading fast.
 */
final class CsvTable {

  private final Path file;
  private final Map<String, Integer> columns = new HashMap<>();
  private final List<String[]> rows = new ArrayList<>();

  private CsvTable(Path file) {
    this.file = file;
  }

  static CsvTable read(Path file) {
    CsvTable table = new CsvTable(file);
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = reader.readLine();
      if (header == null) {
        throw new IllegalArgumentException(file + ": empty file, expected a header row");
      }
      String[] names = header.split(",", -1);
      for (int i = 0; i < names.length; i++) {
        table.columns.put(names[i].trim(), i);
      }
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          table.rows.add(line.split(",", -1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read profile " + file, e);
    }
    return table;
  }

  Path file() {
    return file;
  }

  int rowCount() {
    return rows.size();
  }

  boolean hasColumn(String name) {
    return columns.containsKey(name);
  }

  int column(String name) {
    Integer index = columns.get(name);
    if (index == null) {
      throw new IllegalArgumentException(file + ": missing column '" + name + "'");
    }
    return index;
  }

  String text(int row, int column) {
    String[] cells = rows.get(row);
    return column < cells.length ? cells[column].trim() : "";
  }

  /** The cell as a number; NaN when empty. */
  double number(int row, int column) {
    String cell = text(row, column);
    if (cell.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          file + ": line " + (row + 2) + ": not a number in column " + column + ": '" + cell + "'");
    }
  }
}
