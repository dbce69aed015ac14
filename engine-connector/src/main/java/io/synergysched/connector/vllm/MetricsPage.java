package io.synergysched.connector.vllm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One scraped {@code /metrics} page: every sample as exposed, and the declared types. Lookups are
 * by sample name (as written on the sample line, e.g. {@code vllm:prompt_tokens_total} or
 * {@code vllm:iteration_tokens_total_count}) and add up all label sets, because vLLM labels each
 * series by {@code model_name} and by {@code engine} (data-parallel rank) and one connector engine
 * stands for the whole server. Immutable.
 */
public final class MetricsPage {

  /** One sample line: name, labels (never null), value (may be NaN or infinite), timestamp ms. */
  public record Sample(String name, Map<String, String> labels, double value, Long timestampMs) {}

  /**
   * A histogram added up over its label sets.
   *
   * @param count observations ({@code _count})
   * @param sum sum of observed values ({@code _sum})
   * @param buckets cumulative counts by upper bound ({@code _bucket{le}}), +Inf included when exposed
   */
  public record Histogram(double count, double sum, Map<Double, Double> buckets) {}

  private final List<Sample> samples;
  private final Map<String, String> types;

  MetricsPage(List<Sample> samples, Map<String, String> types) {
    this.samples = List.copyOf(samples);
    this.types = Map.copyOf(types);
  }

  /** All samples in page order. */
  public List<Sample> samples() {
    return samples;
  }

  /** The declared type of a metric family ({@code counter}, {@code gauge}, ...), if declared. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** Samples with exactly this name, any labels. */
  public List<Sample> samples(String name) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name)) {
        out.add(s);
      }
    }
    return out;
  }

  /** True when at least one sample has this name. */
  public boolean has(String name) {
    for (Sample s : samples) {
      if (s.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Sum over label sets of the finite values of {@code name}; empty when no finite sample. */
  public OptionalDouble sum(String name) {
    double total = 0;
    boolean any = false;
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value())) {
        total += s.value();
        any = true;
      }
    }
    return any ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  /** Mean over label sets of the finite values of {@code name}; empty when no finite sample. */
  public OptionalDouble mean(String name) {
    double total = 0;
    int n = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value())) {
        total += s.value();
        n++;
      }
    }
    return n > 0 ? OptionalDouble.of(total / n) : OptionalDouble.empty();
  }

  /**
   * The histogram family {@code family} ({@code family_count}, {@code _sum}, {@code _bucket}),
   * added up over label sets; empty when the page has neither {@code _count} nor {@code _sum}.
   */
  public Optional<Histogram> histogram(String family) {
    OptionalDouble count = sum(family + "_count");
    OptionalDouble sum = sum(family + "_sum");
    if (count.isEmpty() && sum.isEmpty()) {
      return Optional.empty();
    }
    Map<Double, Double> buckets = new TreeMap<>();
    for (Sample s : samples(family + "_bucket")) {
      String le = s.labels().get("le");
      if (le == null || !Double.isFinite(s.value())) {
        continue;
      }
      double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : parseBound(le);
      if (!Double.isNaN(bound)) {
        buckets.merge(bound, s.value(), Double::sum);
      }
    }
    return Optional.of(
        new Histogram(count.orElse(0), sum.orElse(0), Collections.unmodifiableMap(buckets)));
  }

  private static double parseBound(String le) {
    try {
      return Double.parseDouble(le);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
