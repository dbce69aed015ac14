package io.synergysched.core.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds one routing plugin on its own and runs it on hand-built engines, for the per-plugin tests. */
public final class PluginHarness {

  private PluginHarness() {}

  /**
   * The context of plugin {@code type} in a profile {@code test} that sets {@code keyValues}
   * ({@code "KEY", "VALUE", ...}, keys of that type without a prefix).
   */
  public static PluginContext context(String type, String... keyValues) {
    return context(type, Map.of(), keyValues);
  }

  /** As {@link #context(String, String...)}, with components the host supplies (a fixed forecaster). */
  public static PluginContext context(String type, Map<Class<?>, Object> shared, String... keyValues) {
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(type + "." + keyValues[i], keyValues[i + 1]);
    }
    RoutingProfile profile = new RoutingProfile("test", List.of(), List.of(), "max-score", false, params);
    return new PluginContext(profile, type, shared);
  }

  /** {@code count} idle A100 engines named e0, e1, ... */
  public static List<TestEngine> engines(int count) {
    List<TestEngine> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new TestEngine("e" + i, "a100"));
    }
    return out;
  }

  /** The candidate set {@code engineIndexes} (ascending), or every engine when none are given. */
  public static Candidates candidates(List<? extends EngineView> engines, int... engineIndexes) {
    Candidates c = new Candidates();
    c.resetToAll(engines.size());
    if (engineIndexes.length > 0) {
      boolean[] keep = new boolean[engines.size()];
      for (int e : engineIndexes) {
        keep[e] = true;
      }
      c.retain(keep);
    }
    return c;
  }

  /** The scores of the candidates {@code engineIndexes} (all engines when none), in candidate order. */
  public static double[] score(CandidateScorer scorer, RoutingRequest request, List<? extends EngineView> engines,
      int... engineIndexes) {
    Candidates c = candidates(engines, engineIndexes);
    double[] scores = new double[engines.size()];
    scorer.score(request, engines, c, scores);
    return Arrays.copyOf(scores, c.size());
  }

  /** The engines the filter keeps out of all of them. */
  public static List<Integer> kept(CandidateFilter filter, RoutingRequest request, List<? extends EngineView> engines) {
    Candidates c = candidates(engines);
    filter.filter(request, engines, c);
    return engineIndexes(c);
  }

  /** The engine the picker chooses among {@code engineIndexes} (all when none) with these totals. */
  public static int pick(CandidatePicker picker, RoutingRequest request, List<? extends EngineView> engines,
      double[] totals, int... engineIndexes) {
    return picker.pick(request, engines, candidates(engines, engineIndexes), totals);
  }

  /** The share of {@code decisions} picks among {@code engineIndexes} (all when none) that each engine got. */
  public static double[] pickShares(CandidatePicker picker, int engineCount, double[] totals, int decisions,
      int... engineIndexes) {
    List<TestEngine> engines = engines(engineCount);
    double[] shares = new double[engineCount];
    for (int i = 0; i < decisions; i++) {
      shares[pick(picker, TestEngine.request(i, i, 100), engines, totals, engineIndexes)] += 1.0 / decisions;
    }
    return shares;
  }

  /** The engines of {@code decisions} successive picks among all engines. */
  public static List<Integer> pickSequence(CandidatePicker picker, int engineCount, double[] totals, int decisions) {
    List<TestEngine> engines = engines(engineCount);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < decisions; i++) {
      out.add(pick(picker, TestEngine.request(i, i, 100), engines, totals));
    }
    return out;
  }

  /** What {@code rule} decides after the filters left {@code engineIndexes} (all when none). */
  public static AdmissionDecision admit(AdmissionRule rule, RoutingRequest request,
      List<? extends EngineView> engines, int... engineIndexes) {
    return rule.admit(request, engines, candidates(engines, engineIndexes));
  }

  public static List<Integer> engineIndexes(Candidates c) {
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < c.size(); k++) {
      out.add(c.engineAt(k));
    }
    return out;
  }
}
