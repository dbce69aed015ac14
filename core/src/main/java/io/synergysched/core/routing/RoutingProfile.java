package io.synergysched.core.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One routing policy as configuration: the filters, the weighted scorers and the picker it uses,
 * its admission rule and the parameters its plugins read. Immutable.
 *
 * <p>In properties form (keys under {@code profile.NAME.}):
 *
 * <pre>
 * profile.llm-d-default.scorers = queue:2, kv-cache-utilization:2, prefix-cache:3
 * profile.llm-d-default.picker  = max-score
 * profile.prism.filters         = slo-feasibility
 * profile.prism.admission       = shed
 * profile.prism.ttft-margin     = 0.9          (any other key: a plugin parameter)
 * </pre>
 *
 * @param name kebab-case profile name, the router's name
 * @param filters filter types in the order they run, possibly empty
 * @param scorers scorer types with weights &gt; 0, possibly empty (then every candidate totals 0)
 * @param picker picker type
 * @param shedWhenEmpty true: a request that the filters leave with no candidate is shed
 *     ({@code admission = shed}); false: the filter that emptied the set is ignored for it
 * @param params plugin parameters by key (without the profile prefix)
 */
public record RoutingProfile(
    String name,
    List<String> filters,
    List<WeightedScorer> scorers,
    String picker,
    boolean shedWhenEmpty,
    Map<String, String> params) {

  /** A scorer type and its weight, &gt; 0. */
  public record WeightedScorer(String type, double weight) {}

  private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public RoutingProfile {
    filters = List.copyOf(filters);
    scorers = List.copyOf(scorers);
    params = Map.copyOf(params);
  }

  /**
   * Reads every profile in {@code properties}.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static Map<String, RoutingProfile> parseAll(Properties properties) {
    Map<String, Map<String, String>> byProfile = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!key.startsWith("profile.")) {
        throw new IllegalArgumentException("unknown routing key '" + key + "' (keys start with profile.NAME.)");
      }
      String rest = key.substring("profile.".length());
      int dot = rest.indexOf('.');
      if (dot <= 0 || dot == rest.length() - 1) {
        throw new IllegalArgumentException("routing key '" + key + "' must be profile.NAME.SETTING");
      }
      byProfile.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>())
          .put(rest.substring(dot + 1), properties.getProperty(key).trim());
    }
    Map<String, RoutingProfile> profiles = new LinkedHashMap<>();
    byProfile.forEach((name, settings) -> profiles.put(name, parse(name, settings)));
    return profiles;
  }

  /** One profile from its settings (keys without the {@code profile.NAME.} prefix). */
  public static RoutingProfile parse(String name, Map<String, String> settings) {
    String prefix = "profile." + name + ".";
    if (!KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException(prefix + ": profile names are kebab-case, got '" + name + "'");
    }
    Map<String, String> params = new TreeMap<>(settings);
    List<String> filters = new ArrayList<>();
    for (String f : split(params.remove("filters"))) {
      filters.add(kebab(f, prefix + "filters"));
    }
    List<WeightedScorer> scorers = new ArrayList<>();
    for (String s : split(params.remove("scorers"))) {
      int colon = s.indexOf(':');
      String type = kebab(colon < 0 ? s : s.substring(0, colon).trim(), prefix + "scorers");
      double weight = 1.0;
      if (colon >= 0) {
        try {
          weight = Double.parseDouble(s.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(prefix + "scorers: bad weight in '" + s + "'");
        }
      }
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(prefix + "scorers: weight of " + type + " must be > 0, got " + weight);
      }
      scorers.add(new WeightedScorer(type, weight));
    }
    String picker = params.remove("picker");
    if (picker == null || picker.isBlank()) {
      throw new IllegalArgumentException(prefix + "picker is required");
    }
    kebab(picker, prefix + "picker");
    String admission = params.remove("admission");
    boolean shed;
    if (admission == null || admission.equals("none")) {
      shed = false;
    } else if (admission.equals("shed")) {
      shed = true;
    } else {
      throw new IllegalArgumentException(prefix + "admission must be none or shed, got '" + admission + "'");
    }
    return new RoutingProfile(name, filters, scorers, picker, shed, params);
  }

  private static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private static String kebab(String type, String key) {
    String t = type.toLowerCase(Locale.ROOT);
    if (!KEBAB.matcher(t).matches() || !t.equals(type)) {
      throw new IllegalArgumentException(key + ": plugin types are kebab-case, got '" + type + "'");
    }
    return t;
  }
}
