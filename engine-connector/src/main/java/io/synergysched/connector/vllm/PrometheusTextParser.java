package io.synergysched.connector.vllm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text exposition format (version 0.0.4, what vLLM's {@code /metrics}
 * serves through {@code prometheus_client}) into a {@link MetricsPage}.
 *
 * <p>Strict about syntax, because a half-understood page would turn into wrong telemetry: a bad
 * metric or label name, an unterminated label value, a bad escape, a value that is not a float
 * (Go {@code ParseFloat} style: decimal, exponent, {@code NaN}, {@code +Inf}, {@code -Inf}), a
 * timestamp that is not an integer, or an unknown {@code # TYPE} all fail the whole page with the
 * line number. Tolerant of what a well-formed page may contain: unknown metrics, any comment,
 * {@code # HELP} text, blank lines, CRLF line ends, trailing commas in label sets, and the
 * OpenMetrics {@code # EOF} marker. Stateless and thread-safe.
 */
public final class PrometheusTextParser {

  /** A page that breaks the exposition syntax; the message names the line. */
  public static final class MalformedPageException extends RuntimeException {
    MalformedPageException(int line, String problem) {
      super("line " + line + ": " + problem);
    }
  }

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private PrometheusTextParser() {}

  /** Parses a whole page; throws {@link MalformedPageException} on the first syntax error. */
  public static MetricsPage parse(String text) {
    List<MetricsPage.Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      String trimmed = stripLeading(line);
      if (trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.charAt(0) == '#') {
        parseComment(trimmed, lineNo, types);
        continue;
      }
      samples.add(parseSample(trimmed, lineNo));
    }
    return new MetricsPage(samples, types);
  }

  private static void parseComment(String line, int lineNo, Map<String, String> types) {
    String[] parts = line.substring(1).trim().split("[ \t]+", 3);
    if (parts.length == 0 || !("TYPE".equals(parts[0]) || "HELP".equals(parts[0]))) {
      return; // a free comment, or # EOF
    }
    if (parts.length < 2 || !METRIC_NAME.matcher(parts[1]).matches()) {
      throw new MalformedPageException(lineNo, "# " + parts[0] + " needs a valid metric name");
    }
    if ("TYPE".equals(parts[0])) {
      String type = parts.length == 3 ? parts[2].trim().toLowerCase(Locale.ROOT) : "";
      if (!TYPES.contains(type)) {
        throw new MalformedPageException(
            lineNo, "unknown metric type '" + type + "' for " + parts[1]);
      }
      if (types.putIfAbsent(parts[1], type) != null) {
        throw new MalformedPageException(lineNo, "second # TYPE line for " + parts[1]);
      }
    }
  }

  private static MetricsPage.Sample parseSample(String line, int lineNo) {
    int pos = 0;
    int n = line.length();
    while (pos < n && isNameChar(line.charAt(pos))) {
      pos++;
    }
    String name = line.substring(0, pos);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new MalformedPageException(lineNo, "bad metric name in '" + abbreviate(line) + "'");
    }
    Map<String, String> labels = Collections.emptyMap();
    if (pos < n && line.charAt(pos) == '{') {
      labels = new LinkedHashMap<>();
      pos = parseLabels(line, pos + 1, lineNo, labels);
    }
    String rest = line.substring(pos);
    if (rest.isEmpty() || (rest.charAt(0) != ' ' && rest.charAt(0) != '\t')) {
      throw new MalformedPageException(lineNo, "expected a space and a value after " + name);
    }
    String[] fields = rest.trim().split("[ \t]+");
    if (fields.length > 2 || fields[0].isEmpty()) {
      throw new MalformedPageException(
          lineNo, "expected 'value [timestamp]' after " + name + ", got '" + rest.trim() + "'");
    }
    double value = parseValue(fields[0], lineNo);
    Long timestamp = null;
    if (fields.length == 2) {
      if (!INTEGER.matcher(fields[1]).matches()) {
        throw new MalformedPageException(lineNo, "timestamp is not an integer: " + fields[1]);
      }
      timestamp = Long.parseLong(fields[1]);
    }
    return new MetricsPage.Sample(name, Collections.unmodifiableMap(labels), value, timestamp);
  }

  /** Parses labels after the opening brace; returns the index after the closing brace. */
  private static int parseLabels(String line, int pos, int lineNo, Map<String, String> labels) {
    int n = line.length();
    while (true) {
      pos = skipBlanks(line, pos);
      if (pos >= n) {
        throw new MalformedPageException(lineNo, "unterminated label set");
      }
      if (line.charAt(pos) == '}') {
        return pos + 1;
      }
      int start = pos;
      while (pos < n && isNameChar(line.charAt(pos)) && line.charAt(pos) != ':') {
        pos++;
      }
      String labelName = line.substring(start, pos);
      if (!LABEL_NAME.matcher(labelName).matches()) {
        throw new MalformedPageException(lineNo, "bad label name at column " + (start + 1));
      }
      pos = skipBlanks(line, pos);
      if (pos >= n || line.charAt(pos) != '=') {
        throw new MalformedPageException(lineNo, "expected '=' after label " + labelName);
      }
      pos = skipBlanks(line, pos + 1);
      if (pos >= n || line.charAt(pos) != '"') {
        throw new MalformedPageException(lineNo, "label " + labelName + " value must be quoted");
      }
      StringBuilder value = new StringBuilder();
      pos++;
      boolean closed = false;
      while (pos < n) {
        char c = line.charAt(pos++);
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (pos >= n) {
            break;
          }
          char e = line.charAt(pos++);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> throw new MalformedPageException(
                lineNo, "bad escape '\\" + e + "' in label " + labelName);
          }
        } else {
          value.append(c);
        }
      }
      if (!closed) {
        throw new MalformedPageException(lineNo, "unterminated value of label " + labelName);
      }
      if (labels.put(labelName, value.toString()) != null) {
        throw new MalformedPageException(lineNo, "label " + labelName + " given twice");
      }
      pos = skipBlanks(line, pos);
      if (pos < n && line.charAt(pos) == ',') {
        pos++;
      } else if (pos >= n || line.charAt(pos) != '}') {
        throw new MalformedPageException(lineNo, "expected ',' or '}' after label " + labelName);
      }
    }
  }

  private static double parseValue(String s, int lineNo) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "+inf":
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!DECIMAL.matcher(s).matches()) {
          throw new MalformedPageException(lineNo, "value is not a float: " + s);
        }
        return Double.parseDouble(s);
    }
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == ':';
  }

  private static int skipBlanks(String s, int pos) {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
    return pos;
  }

  private static String stripLeading(String s) {
    return s.substring(skipBlanks(s, 0));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
