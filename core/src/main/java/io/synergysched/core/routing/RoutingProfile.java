package io.synergysched.core.routing;

import io.synergysched.core.setting.ProfileProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One routing policy as configuration: the filters, the weighted scorers and the picker it uses,
 * its admission rule and the parameters of its plugin instances (the rule's among them). Immutable.
 *
 * <p>In properties form (keys under {@code profile.NAME.}):
 *
 * <pre>
 * profile.llm-d-default.scorers = queue:2, kv-cache-utilization:2, prefix-cache:3
 * profile.llm-d-default.picker  = max-score
 * profile.prism.filters         = slo-feasibility
 * profile.prism.admission       = no-feasible-engine   (an admission rule type; shed is its alias)
 * profile.prism.slo-feasibility.ttft-margin = 0.9      (PLUGIN-TYPE.KEY: that plugin's parameter)
 * profile.prism-lens.extends    = prism                (everything of prism, then these keys)
 * </pre>
 *
 * <p>A parameter belongs to one plugin instance: {@code profile.NAME.TYPE.KEY} is read by the
 * plugin of type TYPE in that profile only (or by the shared component of that type, such as
 * {@code prism-forecaster}), so a type appears at most once per profile. {@code extends} copies
 * every key of the named profile (itself resolved first), then applies the profile's own keys;
 * a list ({@code filters}, {@code scorers}) given again is replaced whole.
 *
 * @param name kebab-case profile name, the router's name
 * @param filters filter types in the order they run, possibly empty
 * @param scorers scorer types with weights &gt; 0, possibly empty (then every candidate totals 0)
 * @param picker picker type
 * @param admission the admission rule's registered type ({@code none} when the profile names none;
 *     the alias {@code shed} is read as {@code no-feasible-engine})
 * @param params plugin parameters by {@code TYPE.KEY} (without the {@code profile.NAME.} prefix)
 * @param inheritedParams the keys of {@code params} that came from the profile it extends
 */
public record RoutingProfile(
    String name,
    List<String> filters,
    List<WeightedScorer> scorers,
    String picker,
    String admission,
    Map<String, String> params,
    Set<String> inheritedParams) {

  /** A scorer type and its weight, &gt; 0. */
  public record WeightedScorer(String type, double weight) {}

  /** The admission type of a profile that names none: admit everything. */
  public static final String NO_ADMISSION = "none";

  /** PRISM's rule, shed when the filters leave no candidate; {@link #SHED_ALIAS} names it too. */
  public static final String NO_FEASIBLE_ENGINE = "no-feasible-engine";

  /** What {@code admission = shed} meant before admission rules were plugins; still accepted. */
  public static final String SHED_ALIAS = "shed";

  private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Set<String> PROFILE_KEYS = Set.of("filters", "scorers", "picker", "admission");

  public RoutingProfile {
    if (admission == null || !KEBAB.matcher(admission).matches()) {
      throw new IllegalArgumentException("profile." + name + ".admission: an admission rule type, kebab-case, got '"
          + admission + "'");
    }
    admission = SHED_ALIAS.equals(admission) ? NO_FEASIBLE_ENGINE : admission;
    filters = List.copyOf(filters);
    scorers = List.copyOf(scorers);
    params = Map.copyOf(params);
    inheritedParams = Set.copyOf(inheritedParams);
  }

  /** A profile that extends none. */
  public RoutingProfile(String name, List<String> filters, List<WeightedScorer> scorers, String picker,
      String admission, Map<String, String> params) {
    this(name, filters, scorers, picker, admission, params, Set.of());
  }

  /**
   * A profile that extends none, with admission {@code no-feasible-engine} ({@code shedWhenEmpty})
   * or {@code none}: the two rules there were before admission became a plugin kind.
   */
  public RoutingProfile(String name, List<String> filters, List<WeightedScorer> scorers, String picker,
      boolean shedWhenEmpty, Map<String, String> params) {
    this(name, filters, scorers, picker, shedWhenEmpty ? NO_FEASIBLE_ENGINE : NO_ADMISSION, params, Set.of());
  }

  /**
   * Reads every profile in {@code properties}, resolving {@code extends}.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static Map<String, RoutingProfile> parseAll(Properties properties) {
    Map<String, RoutingProfile> profiles = new LinkedHashMap<>();
    ProfileProperties.read(properties, "profile").forEach((name, p) ->
        profiles.put(name, parse(name, p.settings(), p.inherited())));
    return profiles;
  }

  /**
   * One profile from its settings (keys without the {@code profile.NAME.} prefix); {@code extends}
   * needs the other profiles, so only {@link #parseAll} takes it.
   */
  public static RoutingProfile parse(String name, Map<String, String> settings) {
    if (settings.containsKey(ProfileProperties.EXTENDS)) {
      throw new IllegalArgumentException("profile." + name + "." + ProfileProperties.EXTENDS
          + ": a profile extends another among the profiles read together (parseAll)");
    }
    return parse(name, settings, Set.of());
  }

  private static RoutingProfile parse(String name, Map<String, String> settings, Set<String> inheritedKeys) {
    String prefix = "profile." + name + ".";
    if (!KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException(prefix + ": profile names are kebab-case, got '" + name + "'");
    }
    Set<String> types = new HashSet<>();
    List<String> filters = new ArrayList<>();
    for (String f : split(settings.get("filters"))) {
      filters.add(once(kebab(f, prefix + "filters"), types, prefix + "filters"));
    }
    List<WeightedScorer> scorers = new ArrayList<>();
    for (String s : split(settings.get("scorers"))) {
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
      scorers.add(new WeightedScorer(once(type, types, prefix + "scorers"), weight));
    }
    String picker = settings.get("picker");
    if (picker == null || picker.isBlank()) {
      throw new IllegalArgumentException(prefix + "picker is required");
    }
    once(kebab(picker, prefix + "picker"), types, prefix + "picker");
    String admission = settings.get("admission");
    admission = admission == null || admission.isBlank() ? NO_ADMISSION : admission.trim();
    admission = kebab(admission, prefix + "admission");
    once(SHED_ALIAS.equals(admission) ? NO_FEASIBLE_ENGINE : admission, types, prefix + "admission");
    Map<String, String> params = new TreeMap<>();
    settings.forEach((key, value) -> {
      if (!PROFILE_KEYS.contains(key)) {
        params.put(parameterKey(prefix, key), value);
      }
    });
    Set<String> inherited = new HashSet<>(inheritedKeys);
    inherited.retainAll(params.keySet());
    return new RoutingProfile(name, filters, scorers, picker, admission, params, inherited);
  }

  /** {@code key} if it has the form {@code TYPE.KEY}, both kebab-case. */
  private static String parameterKey(String prefix, String key) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException(prefix + key + ": not a profile setting (filters, scorers, picker,"
          + " admission, extends); a plugin parameter is set per plugin instance, " + prefix + "PLUGIN-TYPE." + key);
    }
    String type = key.substring(0, dot);
    String parameter = key.substring(dot + 1);
    if (!KEBAB.matcher(type).matches() || !KEBAB.matcher(parameter).matches()) {
      throw new IllegalArgumentException(prefix + key + ": plugin parameters are " + prefix
          + "PLUGIN-TYPE.KEY, both kebab-case");
    }
    return key;
  }

  private static String once(String type, Set<String> seen, String key) {
    if (!seen.add(type)) {
      throw new IllegalArgumentException(key + ": " + type + " appears twice in the profile; a plugin type"
          + " runs once per profile (its parameters are keyed by its type)");
    }
    return type;
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
