package io.synergysched.connector.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextParserTest {

  @Test
  void shouldReadLabelsEscapesSpecialValuesAndTimestampsWhenPageIsValid() {
    String page = String.join("\r\n",
        "# HELP a_total Things. With \\ a backslash.",
        "# TYPE a_total counter",
        "a_total{x=\"1\",y=\"q\\\"uote\\\\d\\nnl\",} 3.5e2 1700000000000",
        "  ",
        "# any comment at all",
        "b NaN",
        "c{z=\"\"} +Inf",
        "d -Inf",
        "e\t-0.25",
        "f{ a = \"1\" , b=\"2\" } 7",
        "# EOF",
        "");

    MetricsPage parsed = PrometheusTextParser.parse(page);

    assertThat(parsed.samples()).hasSize(6);
    MetricsPage.Sample a = parsed.samples("a_total").get(0);
    assertThat(a.labels()).containsExactly(Map.entry("x", "1"), Map.entry("y", "q\"uote\\d\nnl"));
    assertThat(a.value()).isEqualTo(350.0);
    assertThat(a.timestampMs()).isEqualTo(1_700_000_000_000L);
    assertThat(parsed.type("a_total")).contains("counter");
    assertThat(parsed.samples("b").get(0).value()).isNaN();
    assertThat(parsed.samples("c").get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parsed.samples("d").get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parsed.samples("e").get(0).value()).isEqualTo(-0.25);
    assertThat(parsed.samples("f").get(0).labels()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(parsed.sum("b")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad metric name      | 1abc 1                      | line 2: bad metric name",
      "no value             | abc                         | line 2: expected a space and a value",
      "value not a float    | abc 0x1F                    | line 2: value is not a float",
      "value words          | abc one                     | line 2: value is not a float",
      "too many fields      | abc 1 2 3                   | line 2: expected 'value [timestamp]'",
      "timestamp not int    | abc 1 1.5                   | line 2: timestamp is not an integer",
      "unterminated labels  | abc{a=\"1\" 1               | line 2: expected ',' or '}'",
      "unquoted label value | abc{a=1} 1                  | line 2: label a value must be quoted",
      "bad label name       | abc{1a=\"1\"} 1             | line 2: bad label name",
      "bad escape           | abc{a=\"\\t\"} 1            | line 2: bad escape",
      "unterminated value   | abc{a=\"1} 1                | line 2: unterminated value of label a",
      "duplicate label      | abc{a=\"1\",a=\"2\"} 1      | line 2: label a given twice",
      "unknown type         | # TYPE abc widget           | line 2: unknown metric type 'widget'",
      "type without name    | # TYPE                      | line 2: # TYPE needs a valid metric name",
  })
  void shouldFailWithTheLineWhenSyntaxIsBroken(String what, String line, String message) {
    String page = "ok_metric 1\n" + line + "\nlater_metric 2\n";

    assertThatThrownBy(() -> PrometheusTextParser.parse(page))
        .isInstanceOf(PrometheusTextParser.MalformedPageException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void shouldFailWhenTypeIsDeclaredTwice() {
    assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\n# TYPE a counter\n"))
        .hasMessage("line 2: second # TYPE line for a");
  }

  @Test
  void shouldAddUpHistogramSeriesWhenTheyDifferInLabels() {
    String page = String.join("\n",
        "# TYPE h histogram",
        "h_bucket{engine=\"0\",le=\"0.1\"} 1",
        "h_bucket{engine=\"0\",le=\"+Inf\"} 2",
        "h_sum{engine=\"0\"} 0.5",
        "h_count{engine=\"0\"} 2",
        "h_bucket{engine=\"1\",le=\"0.1\"} 3",
        "h_bucket{engine=\"1\",le=\"+Inf\"} 4",
        "h_sum{engine=\"1\"} 1.5",
        "h_count{engine=\"1\"} 4",
        "");

    MetricsPage.Histogram h = PrometheusTextParser.parse(page).histogram("h").orElseThrow();

    assertThat(h.count()).isEqualTo(6);
    assertThat(h.sum()).isEqualTo(2.0);
    assertThat(h.buckets()).containsExactly(
        Map.entry(0.1, 4.0), Map.entry(Double.POSITIVE_INFINITY, 6.0));
  }

  @Test
  void shouldParseEveryFixturePageWhenTheyFollowVllmShapes() {
    for (String name : new String[] {"metrics-current-1.txt", "metrics-current-2.txt",
        "metrics-deprecated-1.txt", "metrics-deprecated-2.txt", "metrics-v09-both-names-2.txt",
        "metrics-unknown-2.txt", "metrics-restarted-1.txt", "metrics-restarted-2.txt"}) {
      MetricsPage page = PrometheusTextParser.parse(VllmFixtureServer.resource(name));
      assertThat(page.has("vllm:num_requests_running")).as(name).isTrue();
      assertThat(page.histogram("vllm:iteration_tokens_total")).as(name).isPresent();
    }
  }
}
