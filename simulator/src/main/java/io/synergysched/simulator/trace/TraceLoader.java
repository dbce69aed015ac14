package io.synergysched.simulator.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads request traces in the formats of {@link TraceFormat}. Arrivals come back relative to the
 * first request, sorted (stably) by time. Any malformed line stops the read with a
 * {@link TraceFormatException} naming the file, the line and the reason.
 */
public final class TraceLoader {

  /** Columns of the generic CSV; the first three are required. */
  public static final List<String> CSV_COLUMNS = List.of("arrival_ms", "prompt_tokens",
      "output_tokens", "slo_ttft_ms", "slo_tpot_ms", "session_id", "prefix_hashes");

  private static final DateTimeFormatter AZURE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();
  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceLoader() {}

  /**
   * @param arrivals arrival process for formats without times (arxiv); ignored otherwise, and
   *     required for arxiv
   */
  public static List<TraceRequest> load(Path file, TraceFormat format, SyntheticArrivals arrivals) {
    return load(file, format, arrivals, null);
  }

  /**
   * As {@link #load(Path, TraceFormat, SyntheticArrivals)}, with the reader of format {@code
   * recording}.
   *
   * @param recordings reads {@code recording} files; null when the caller has none (that format
   *     then fails)
   */
  public static List<TraceRequest> load(Path file, TraceFormat format, SyntheticArrivals arrivals,
      RecordingReader recordings) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("trace.path: no such file " + file);
    }
    List<TraceRequest> requests = switch (format) {
      case AZURE -> readCsv(file, TraceLoader::azureRow);
      case VIDUR -> readCsv(file, TraceLoader::vidurRow);
      case CSV -> readCsv(file, null);
      case MOONCAKE -> readMooncake(file);
      case ARXIV -> readArxiv(file, arrivals);
      case RECORDING -> readRecording(file, recordings);
    };
    requests.sort(Comparator.comparingDouble(TraceRequest::arrivalMs));
    if (requests.isEmpty()) {
      throw new IllegalArgumentException(file + ": trace has no requests");
    }
    double first = requests.get(0).arrivalMs();
    if (first != 0) {
      requests.replaceAll(r -> r.withArrival(r.arrivalMs() - first));
    }
    return requests;
  }

  /** Reads one CSV row given its header; returns null to skip the row. */
  @FunctionalInterface
  private interface RowParser {
    TraceRequest parse(Row row);
  }

  /** One CSV line with its header, for error messages that name the cell. */
  private static final class Row {
    final Path file;
    final long line;
    final Map<String, Integer> header;
    final String[] cells;

    Row(Path file, long line, Map<String, Integer> header, String[] cells) {
      this.file = file;
      this.line = line;
      this.header = header;
      this.cells = cells;
    }

    boolean has(String column) {
      Integer i = header.get(column);
      return i != null && i < cells.length && !cells[i].isBlank();
    }

    String text(String column) {
      Integer i = header.get(column);
      if (i == null) {
        throw error("missing column '" + column + "'");
      }
      if (i >= cells.length) {
        throw error("expected " + header.size() + " fields, found " + cells.length);
      }
      return cells[i].trim();
    }

    int positiveInt(String column) {
      String text = text(column);
      try {
        int value = Integer.parseInt(text);
        if (value < 1) {
          throw error(column + " must be >= 1, got " + value);
        }
        return value;
      } catch (NumberFormatException e) {
        // Vidur writes some counts as floats ("12.0")
        try {
          double value = Double.parseDouble(text);
          if (value == Math.rint(value) && value >= 1 && value <= Integer.MAX_VALUE) {
            return (int) value;
          }
        } catch (NumberFormatException ignored) {
          // reported below
        }
        throw error(column + " '" + text + "' is not a positive integer");
      }
    }

    double nonNegative(String column) {
      String text = text(column);
      try {
        double value = Double.parseDouble(text);
        if (!(value >= 0) || Double.isInfinite(value)) {
          throw error(column + " must be a finite number >= 0, got " + text);
        }
        return value;
      } catch (NumberFormatException e) {
        throw error(column + " '" + text + "' is not a number");
      }
    }

    TraceFormatException error(String reason) {
      return new TraceFormatException(file, line, reason);
    }
  }

  private static List<TraceRequest> readCsv(Path file, RowParser parser) {
    List<TraceRequest> requests = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String headerLine = reader.readLine();
      long lineNumber = 1;
      while (headerLine != null && (headerLine.isBlank() || headerLine.startsWith("#"))) {
        headerLine = reader.readLine();
        lineNumber++;
      }
      if (headerLine == null) {
        throw new TraceFormatException(file, lineNumber, "empty file, expected a header row");
      }
      Map<String, Integer> header = new HashMap<>();
      String[] names = headerLine.split(",", -1);
      for (int i = 0; i < names.length; i++) {
        header.put(names[i].trim(), i);
      }
      if (parser == null) {
        parser = genericCsvParser(file, lineNumber, header);
      }
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != names.length) {
          throw new TraceFormatException(file, lineNumber,
              "expected " + names.length + " fields, found " + cells.length);
        }
        TraceRequest request = parser.parse(new Row(file, lineNumber, header, cells));
        if (request != null) {
          requests.add(request);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
    return requests;
  }

  private static TraceRequest azureRow(Row row) {
    String text = row.text("TIMESTAMP");
    try {
      LocalDateTime time = LocalDateTime.parse(text, AZURE_TIME);
      double ms = time.toInstant(ZoneOffset.UTC).toEpochMilli()
          + (time.getNano() % 1_000_000) / 1e6;
      return TraceRequest.of(ms, row.positiveInt("ContextTokens"), row.positiveInt("GeneratedTokens"));
    } catch (DateTimeParseException e) {
      throw row.error("TIMESTAMP '" + text + "' is not yyyy-MM-dd HH:mm:ss[.fraction]");
    }
  }

  private static TraceRequest vidurRow(Row row) {
    return TraceRequest.of(row.nonNegative("arrived_at") * 1000,
        row.positiveInt("num_prefill_tokens"), row.positiveInt("num_decode_tokens"));
  }

  private static RowParser genericCsvParser(Path file, long headerLine, Map<String, Integer> header) {
    for (String column : header.keySet()) {
      if (!CSV_COLUMNS.contains(column)) {
        throw new TraceFormatException(file, headerLine,
            "unknown column '" + column + "', expected some of " + CSV_COLUMNS);
      }
    }
    for (String required : CSV_COLUMNS.subList(0, 3)) {
      if (!header.containsKey(required)) {
        throw new TraceFormatException(file, headerLine, "missing required column '" + required + "'");
      }
    }
    return row -> new TraceRequest(
        row.nonNegative("arrival_ms"),
        row.positiveInt("prompt_tokens"),
        row.positiveInt("output_tokens"),
        row.has("slo_ttft_ms") ? row.nonNegative("slo_ttft_ms") : Double.NaN,
        row.has("slo_tpot_ms") ? row.nonNegative("slo_tpot_ms") : Double.NaN,
        row.has("session_id") ? row.text("session_id") : null,
        row.has("prefix_hashes") ? hashes(row) : TraceRequest.NO_HASHES);
  }

  private static long[] hashes(Row row) {
    String[] parts = row.text("prefix_hashes").trim().split("\\s+");
    long[] hashes = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        hashes[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        throw row.error("prefix_hashes: '" + parts[i] + "' is not an integer");
      }
    }
    return hashes;
  }

  private static final Set<String> MOONCAKE_KEYS =
      Set.of("timestamp", "input_length", "output_length", "hash_ids");

  /**
   * Mooncake's timestamps come in buckets about 3 s apart; the requests of one bucket are spread
   * evenly over the gap to the next bucket, in file order, so arrivals are deterministic and not
   * lumpy.
   */
  private static List<TraceRequest> readMooncake(Path file) {
    List<TraceRequest> raw = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new TraceFormatException(file, lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        for (String key : MOONCAKE_KEYS) {
          if (!node.has(key)) {
            throw new TraceFormatException(file, lineNumber, "missing key '" + key + "'");
          }
        }
        long timestamp = integer(node, "timestamp", file, lineNumber, 0);
        int input = (int) integer(node, "input_length", file, lineNumber, 1);
        int output = (int) integer(node, "output_length", file, lineNumber, 1);
        JsonNode ids = node.get("hash_ids");
        if (!ids.isArray()) {
          throw new TraceFormatException(file, lineNumber, "hash_ids is not an array");
        }
        long[] hashes = new long[ids.size()];
        for (int i = 0; i < hashes.length; i++) {
          if (!ids.get(i).canConvertToLong()) {
            throw new TraceFormatException(file, lineNumber, "hash_ids[" + i + "] is not an integer");
          }
          hashes[i] = ids.get(i).asLong();
        }
        raw.add(new TraceRequest(timestamp, input, output, Double.NaN, Double.NaN, null, hashes));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
    raw.sort(Comparator.comparingDouble(TraceRequest::arrivalMs));
    List<TraceRequest> spread = new ArrayList<>(raw.size());
    double lastGap = 3000;
    int i = 0;
    while (i < raw.size()) {
      int j = i;
      while (j < raw.size() && raw.get(j).arrivalMs() == raw.get(i).arrivalMs()) {
        j++;
      }
      double start = raw.get(i).arrivalMs();
      double gap = j < raw.size() ? raw.get(j).arrivalMs() - start : lastGap;
      lastGap = gap;
      int n = j - i;
      for (int k = 0; k < n; k++) {
        spread.add(raw.get(i + k).withArrival(start + gap * k / n));
      }
      i = j;
    }
    return spread;
  }

  private static long integer(JsonNode node, String key, Path file, long line, long min) {
    JsonNode value = node.get(key);
    if (!value.canConvertToLong() || value.asLong() < min) {
      throw new TraceFormatException(file, line, key + " must be an integer >= " + min + ", got " + value);
    }
    return value.asLong();
  }

  private static List<TraceRequest> readRecording(Path file, RecordingReader recordings) {
    if (recordings == null) {
      throw new IllegalArgumentException("trace.format recording: " + file + " is an Avro recording, "
          + "which only the synergysched launcher reads (run it with ./synergysched simulate)");
    }
    return new ArrayList<>(recordings.read(file));
  }

  private static List<TraceRequest> readArxiv(Path file, SyntheticArrivals arrivals) {
    if (arrivals == null) {
      throw new IllegalArgumentException(
          "trace.rate_per_s is required for format arxiv (its file has no arrival times)");
    }
    List<TraceRequest> lengths = readCsv(file, row -> TraceRequest.of(0,
        row.positiveInt("num_prefill_tokens"), row.positiveInt("num_decode_tokens")));
    double[] times = new double[lengths.size()];
    arrivals.generate(times);
    List<TraceRequest> requests = new ArrayList<>(lengths.size());
    for (int i = 0; i < times.length; i++) {
      requests.add(lengths.get(i).withArrival(times[i]));
    }
    return requests;
  }
}
