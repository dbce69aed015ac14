package io.synergysched.trainer.dashboard;

import io.synergysched.schemas.BudgetPoint;
import io.synergysched.schemas.CandidateScore;
import io.synergysched.schemas.DeadLetter;
import io.synergysched.schemas.LensHint;
import io.synergysched.schemas.RoutingDecision;
import io.synergysched.schemas.SloWindow;
import io.synergysched.runtime.query.EngineSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the dashboard shows, aggregated server-side in bounded memory: per engine a ring of
 * predicted-against-measured step samples and model error, a ring of SLO windows, routed requests
 * per second, the latest LENS hint; the cluster's SLO attainment per window, the last routing
 * decisions with their reasons, dead-letter counts by stage and source.
 *
 * <p>Not thread-safe: one thread (the dashboard's) applies every event and builds every message.
 * {@link #snapshot} is the whole state, for a client that just connected; {@link #delta} is what
 * changed since the previous delta, sent once per tick to every client.
 */
public final class DashboardState {

  /** Step samples kept per engine (one per tick at most: five minutes at one per second). */
  public static final int STEP_HISTORY = 300;
  /** SLO windows kept per engine and for the cluster (ten minutes of 10 s windows). */
  public static final int SLO_HISTORY = 60;
  /** Routing decisions whose reasons are shown. */
  public static final int LAST_DECISIONS = 20;
  /** Complete seconds over which requests per second are averaged. */
  public static final int RATE_SECONDS = 10;

  private final Map<String, EngineTrack> engines = new TreeMap<>();
  private final TreeMap<Long, long[]> overall = new TreeMap<>();
  private final TreeSet<Long> overallChanged = new TreeSet<>();
  private final ArrayDeque<Map<String, Object>> decisions = new ArrayDeque<>();
  private final Map<String, long[]> outcomes = new TreeMap<>();
  private final Map<String, DeadLetterCount> deadLetters = new TreeMap<>();
  private boolean decisionsChanged;
  private boolean deadLettersChanged;
  private long snapshotsSeen;
  private long hintsSeen;
  private double ingestPerSecond = Double.NaN;
  private boolean queryable;

  private static final class EngineTrack {
    final String id;
    final ArrayDeque<double[]> steps = new ArrayDeque<>();
    final TreeMap<Long, double[]> slo = new TreeMap<>();
    final TreeSet<Long> sloChanged = new TreeSet<>();
    final long[] routedSecond = new long[RATE_SECONDS + 2];
    final long[] routedCount = new long[RATE_SECONDS + 2];
    long routedTotal;
    long lastStepEndMs = Long.MIN_VALUE;
    double[] newStep;
    double modelError = Double.NaN;
    long modelVersion = -1;
    Map<String, Object> hint;
    boolean hintChanged;

    EngineTrack(String id) {
      this.id = id;
    }

    /** Requests routed per second over the last {@link #RATE_SECONDS} complete seconds. */
    double rate(long nowMs) {
      long now = Math.floorDiv(nowMs, 1000L);
      long sum = 0;
      for (int i = 0; i < routedSecond.length; i++) {
        if (routedSecond[i] >= now - RATE_SECONDS && routedSecond[i] < now) {
          sum += routedCount[i];
        }
      }
      return (double) sum / RATE_SECONDS;
    }

    void routed(long atMs) {
      long second = Math.floorDiv(atMs, 1000L);
      int slot = (int) Math.floorMod(second, (long) routedSecond.length);
      if (routedSecond[slot] != second) {
        routedSecond[slot] = second;
        routedCount[slot] = 0;
      }
      routedCount[slot]++;
      routedTotal++;
    }
  }

  private record DeadLetterCount(String stage, String source, long count, String lastError) {}

  private EngineTrack track(String engineId) {
    return engines.computeIfAbsent(engineId, EngineTrack::new);
  }

  /**
   * One look at the interactive queries: per engine, its latest step against the model's prediction
   * of it and the model's recent error. An engine whose latest step was sampled already adds
   * nothing.
   */
  public void sample(long nowMs, List<EngineSnapshot> views) {
    queryable = true;
    for (EngineSnapshot view : views) {
      EngineTrack t = track(view.engineId());
      if (view.model() != null) {
        t.modelError = view.model().recentMape();
        t.modelVersion = view.model().version();
      }
      if (view.status() == null || view.status().lastStepEndMs() == t.lastStepEndMs) {
        continue;
      }
      t.lastStepEndMs = view.status().lastStepEndMs();
      double[] point = {nowMs, StepPrediction.predictedMs(view), StepPrediction.measuredMs(view),
          t.modelError};
      t.steps.addLast(point);
      while (t.steps.size() > STEP_HISTORY) {
        t.steps.removeFirst();
      }
      t.newStep = point;
    }
  }

  /** The interactive queries could not answer (starting, rebalancing). */
  public void notQueryable() {
    queryable = false;
  }

  /** Records processed per second by this instance's stream threads. */
  public void ingestRate(double perSecond) {
    ingestPerSecond = perSecond;
  }

  /** One routing decision from the audit topic. */
  public void decision(RoutingDecision d) {
    String engine = d.getChosenEngineId();
    if (engine != null) {
      track(engine).routed(d.getDecidedAtMs());
    }
    outcomes.computeIfAbsent(d.getOutcome().name(), o -> new long[1])[0]++;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("t", d.getDecidedAtMs());
    row.put("request", d.getRequestId());
    row.put("policy", d.getPolicy());
    row.put("outcome", d.getOutcome().name());
    row.put("engine", engine);
    row.put("reason", reason(d));
    row.put("latencyUs", d.getDecisionLatencyUs());
    decisions.addFirst(row);
    while (decisions.size() > LAST_DECISIONS) {
      decisions.removeLast();
    }
    decisionsChanged = true;
  }

  /**
   * The policy's reason as the audit record gives it, plus what the candidates show: the chosen
   * engine's score and predictions, the runner-up, the engines filters removed and why.
   */
  static String reason(RoutingDecision d) {
    StringBuilder text = new StringBuilder();
    if (d.getReason() != null && !d.getReason().isBlank()) {
      text.append(d.getReason());
    }
    CandidateScore chosen = null;
    CandidateScore runnerUp = null;
    Map<String, Integer> filtered = new TreeMap<>();
    for (CandidateScore c : d.getCandidates()) {
      if (c.getEngineId().equals(d.getChosenEngineId())) {
        chosen = c;
      } else if (!c.getFeasible()) {
        filtered.merge(c.getFilteredBy() == null ? "filtered" : c.getFilteredBy(), 1, Integer::sum);
      } else if (runnerUp == null || c.getScore() > runnerUp.getScore()) {
        runnerUp = c;
      }
    }
    if (chosen != null) {
      append(text, String.format(Locale.ROOT, "score %.2f", chosen.getScore()));
      if (chosen.getPredictedTtftMs() != null) {
        text.append(String.format(Locale.ROOT, ", TTFT %.0f ms", chosen.getPredictedTtftMs()));
      }
      if (chosen.getPredictedTpotMs() != null) {
        text.append(String.format(Locale.ROOT, ", TPOT %.1f ms", chosen.getPredictedTpotMs()));
      }
    }
    if (runnerUp != null) {
      append(text, String.format(Locale.ROOT, "next %s %.2f", runnerUp.getEngineId(),
          runnerUp.getScore()));
    }
    filtered.forEach((filter, n) -> append(text, n + " removed by " + filter));
    return text.toString();
  }

  private static void append(StringBuilder text, String part) {
    text.append(text.length() == 0 ? "" : "; ").append(part);
  }

  /** One closed SLO window of one engine. */
  public void sloWindow(SloWindow w) {
    EngineTrack t = track(w.getEngineId());
    long end = w.getWindowEndMs();
    long total = (long) w.getFinished() + w.getRejected();
    long met = w.getBothMet();
    t.slo.put(end, new double[] {end, total == 0 ? Double.NaN : (double) met / total, total});
    while (t.slo.size() > SLO_HISTORY) {
      t.sloChanged.remove(t.slo.pollFirstEntry().getKey());
    }
    if (t.slo.containsKey(end)) {
      t.sloChanged.add(end);
    }
    if (!overall.isEmpty() && end < overall.firstKey() && overall.size() >= SLO_HISTORY) {
      return;
    }
    long[] sum = overall.computeIfAbsent(end, e -> new long[2]);
    sum[0] += total;
    sum[1] += met;
    overallChanged.add(end);
    while (overall.size() > SLO_HISTORY) {
      overallChanged.remove(overall.pollFirstEntry().getKey());
    }
  }

  /** The latest LENS hint of an engine from the control topic; null (a tombstone) retires it. */
  public void hint(String engineId, LensHint h) {
    hintsSeen++;
    EngineTrack t = track(engineId);
    if (h == null) {
      t.hint = null;
    } else {
      Map<String, Object> hint = new LinkedHashMap<>();
      hint.put("version", h.getHintVersion());
      hint.put("modelVersion", h.getModelVersion());
      hint.put("issuedAtMs", h.getIssuedAtMs());
      hint.put("tpotTargetMs", num(h.getTpotTargetMs()));
      hint.put("maxNumSeqs", h.getMaxNumSeqs());
      hint.put("chunkSizeTokens", h.getChunkSizeTokens());
      List<int[]> curve = new ArrayList<>();
      for (BudgetPoint p : h.getBudgetCurve()) {
        curve.add(new int[] {p.getDecodeSeqs(), p.getTokenBudget()});
      }
      hint.put("budget", curve);
      t.hint = hint;
    }
    t.hintChanged = true;
  }

  /** One dead letter: counted by the stage that rejected it and its source topic. */
  public void deadLetter(DeadLetter d) {
    String key = d.getStage() + "\u0000" + d.getSourceTopic();
    DeadLetterCount old = deadLetters.get(key);
    deadLetters.put(key, new DeadLetterCount(d.getStage(), d.getSourceTopic(),
        old == null ? 1 : old.count() + 1, d.getError()));
    deadLettersChanged = true;
  }

  /** One model snapshot published by the trainers. */
  public void modelSnapshot() {
    snapshotsSeen++;
  }

  /** The cluster's attainment in its latest SLO window, NaN before any. */
  public double latestOverallAttainment() {
    if (overall.isEmpty()) {
      return Double.NaN;
    }
    var last = overall.lastEntry();
    return overallPoint(last.getKey(), last.getValue())[1];
  }

  /** Engines known so far. */
  public int engineCount() {
    return engines.size();
  }

  /** Step samples held for an engine (never more than {@link #STEP_HISTORY}). */
  public int stepHistory(String engineId) {
    EngineTrack t = engines.get(engineId);
    return t == null ? 0 : t.steps.size();
  }

  /** Everything, for a client that just connected. */
  public Map<String, Object> snapshot(long nowMs) {
    Map<String, Object> m = header(nowMs);
    List<Map<String, Object>> list = new ArrayList<>();
    for (EngineTrack t : engines.values()) {
      Map<String, Object> e = engineHeader(t, nowMs);
      e.put("steps", points(t.steps));
      e.put("slo", points(t.slo.values()));
      e.put("hint", t.hint);
      list.add(e);
    }
    m.put("engines", list);
    List<double[]> all = new ArrayList<>();
    overall.forEach((end, sum) -> all.add(overallPoint(end, sum)));
    m.put("overall", points(all));
    m.put("decisions", new ArrayList<>(decisions));
    m.put("deadLetters", deadLetterRows());
    return m;
  }

  /** What changed since the previous delta (or snapshot's start); clears the changes. */
  public Map<String, Object> delta(long nowMs) {
    Map<String, Object> m = header(nowMs);
    List<Map<String, Object>> list = new ArrayList<>();
    for (EngineTrack t : engines.values()) {
      Map<String, Object> e = engineHeader(t, nowMs);
      if (t.newStep != null) {
        e.put("step", point(t.newStep));
        t.newStep = null;
      }
      if (!t.sloChanged.isEmpty()) {
        List<double[]> changed = new ArrayList<>();
        t.sloChanged.forEach(end -> changed.add(t.slo.get(end)));
        e.put("slo", points(changed));
        t.sloChanged.clear();
      }
      if (t.hintChanged) {
        e.put("hint", t.hint);
        t.hintChanged = false;
      }
      list.add(e);
    }
    m.put("engines", list);
    if (!overallChanged.isEmpty()) {
      List<double[]> changed = new ArrayList<>();
      overallChanged.forEach(end -> changed.add(overallPoint(end, overall.get(end))));
      m.put("overall", points(changed));
      overallChanged.clear();
    }
    if (decisionsChanged) {
      m.put("decisions", new ArrayList<>(decisions));
      decisionsChanged = false;
    }
    if (deadLettersChanged) {
      m.put("deadLetters", deadLetterRows());
      deadLettersChanged = false;
    }
    return m;
  }

  /** Marks everything as sent: a snapshot taken now makes the pending changes redundant. */
  void clearChanges() {
    delta(0);
  }

  private Map<String, Object> header(long nowMs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", nowMs);
    m.put("queryable", queryable);
    m.put("ingestPerSecond", num(ingestPerSecond));
    m.put("modelSnapshots", snapshotsSeen);
    m.put("lensHints", hintsSeen);
    Map<String, Long> byOutcome = new LinkedHashMap<>();
    outcomes.forEach((o, c) -> byOutcome.put(o, c[0]));
    m.put("outcomes", byOutcome);
    double total = 0;
    for (EngineTrack t : engines.values()) {
      total += t.rate(nowMs);
    }
    m.put("routedPerSecond", num(total));
    return m;
  }

  private static Map<String, Object> engineHeader(EngineTrack t, long nowMs) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", t.id);
    e.put("rate", num(t.rate(nowMs)));
    e.put("routed", t.routedTotal);
    e.put("modelError", num(t.modelError));
    e.put("modelVersion", t.modelVersion);
    return e;
  }

  private List<Map<String, Object>> deadLetterRows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeadLetterCount c : deadLetters.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("stage", c.stage());
      row.put("source", c.source());
      row.put("count", c.count());
      row.put("lastError", c.lastError());
      rows.add(row);
    }
    return rows;
  }

  private static double[] overallPoint(long end, long[] sum) {
    return new double[] {end, sum[0] == 0 ? Double.NaN : (double) sum[1] / sum[0], sum[0]};
  }

  private static List<Object[]> points(Iterable<double[]> values) {
    List<Object[]> out = new ArrayList<>();
    for (double[] v : values) {
      out.add(point(v));
    }
    return out;
  }

  private static Object[] point(double[] v) {
    Object[] out = new Object[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = num(v[i]);
    }
    return out;
  }

  /** A number as JSON can carry it: rounded to 4 significant decimals, null for NaN or infinity. */
  private static Object num(double v) {
    if (!Double.isFinite(v)) {
      return null;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (long) v;
    }
    return Math.round(v * 10_000.0) / 10_000.0;
  }
}
