package io.synergysched.core.routing.admission;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionRule;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PRISM's admission ({@code admission = no-feasible-engine}, alias {@code shed}): a request that a
 * filter leaves without candidates is shed, the filter's type as the reason. With PRISM's
 * {@code slo-feasibility} filter that is "no engine is predicted to meet the SLO". With
 * {@code filter} set, only that filter sheds; any other filter that empties the set is skipped, as
 * under {@code none} (the equal-admission regime puts PRISM's filter in front of a baseline's own
 * filters and sheds on it alone).
 */
public final class NoFeasibleEngineRule implements AdmissionRule {

  public static final String TYPE = "no-feasible-engine";

  private static final Setting<String> FILTER = Setting.text("filter", "", "|[a-z0-9]+(-[a-z0-9]+)*",
      "empty or a filter type", "the filter whose empty result sheds the request; empty: any filter's");
  public static final Settings PARAMETERS = Settings.of(FILTER);

  private final String onlyFilter;
  /** One decision per filter type: the reason is the type, so nothing is allocated per shed. */
  private final Map<String, AdmissionDecision> shedBy = new HashMap<>();

  public NoFeasibleEngineRule(PluginContext context) {
    this.onlyFilter = context.get(FILTER);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public AdmissionDecision whenNoCandidate(RoutingRequest request, List<? extends EngineView> engines,
      String filterType) {
    if (!onlyFilter.isEmpty() && !onlyFilter.equals(filterType)) {
      return AdmissionDecision.ADMIT;
    }
    return shedBy.computeIfAbsent(filterType, AdmissionDecision::shed);
  }
}
