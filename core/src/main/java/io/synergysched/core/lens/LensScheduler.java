package io.synergysched.core.lens;

import io.synergysched.core.model.StepLatencyModel;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.model.predict.EnginePerformancePredictor;
import io.synergysched.core.scheduling.BatchScheduler;
import io.synergysched.core.scheduling.SchedulableRequest;
import io.synergysched.core.scheduling.SchedulerEnvironment;
import io.synergysched.core.scheduling.SchedulingContext;
import io.synergysched.core.telemetry.StepObservation;
import java.util.Arrays;
import java.util.Objects;

/**
 * LENS inside the engine: every step it applies the current {@link LensPlan} (or safe defaults
 * once the hint has expired) to build the batch.
 *
 * <ol>
 *   <li>Sheds waiting requests that have waited {@code shedAfterTtftMultiple} TTFT targets (their
 *       client has given up; a deployment answers them with a retry hint).
 *   <li>Schedules every decode first: the step's token budget is the hint's budget at this decode
 *       load, so the step stays under the TPOT target minus the margin. TPOT is a mean, so when
 *       every decode is ahead of its target (the engine reports first-token times) the step may
 *       stretch to what the decode with the least time in hand allows, and with no decodes at all
 *       to {@code maxStepTokens}: a long prompt then gets its first token in time instead of being
 *       chunked past its TTFT. If the decodes alone are predicted over the allowance, no prefill
 *       joins them ({@link StepAllowance}).
 *   <li>Orders prefill work on three levels ({@link PrefillPriority}): SLO-protected (admitted prefills on track, and
 *       preempted requests recomputing, whose first token is already out), then waiting requests
 *       that can still make their TTFT, by slack (deadline minus now minus their own fastest
 *       prefill), then deferred ones that cannot, by remaining work. Only the most urgent
 *       {@code 64} are kept ({@link PrefillShortList}: a bounded heap, not a sort of the whole queue).
 *   <li>If the feasible ones cannot all finish by their deadlines at this step's rate (checked in
 *       deadline order), a {@link SloRescueKnapsack} picks the set that saves the most SLOs; the
 *       rest are deferred.
 *   <li>A {@link SlidingWindowChunker} chooses this step's prefill tokens from this step and the
 *       next, and the tokens go to the ordered work; new requests are admitted only below the
 *       hint's KV watermark and sequence limit, and not in a step that preempted (as vLLM).
 * </ol>
 *
 * <p>When built by {@link #selfPlanning}, the scheduler also learns its engine's step-latency model
 * online from the steps the engine reports and plans its own hints, which reach it through a
 * {@link DelayedLensHintFeed} as hints from the control topic would. Single-threaded (the engine's
 * scheduling thread); the hot path allocates nothing once its arrays have grown to the queue.
 */
public final class LensScheduler implements BatchScheduler {

  public static final String NAME = "lens";

  /** Prefills kept in the ordered short list per step. */
  private static final int SHORT_LIST = 64;

  private final LensSchedulerConfig config;
  private final LensHintSource hints;
  private final LensPlanningLoop planning;
  private final StepLatencyModel model;
  private final StepLatencyModelConfig modelConfig;
  private final double defaultTtftMs;
  private final double defaultTpotMs;
  private final SloRescueKnapsack knapsack;
  private final SlidingWindowChunker chunker;
  private final RequestIdSet deferred = new RequestIdSet();
  private EnginePerformancePredictor predictor;
  /** The hint the latest step applied, null on safe defaults; read by other threads. */
  private volatile LensPlan applied;

  private final StepAllowance allowance;
  private int stepsSinceRefresh;
  private double meanDecodeContext;
  /** Predicted step with this step's decodes and no prefill, microseconds. */
  private double baseStepUs;
  private int kvBlocksTotal;
  private int blockSize = 16;
  private long steps;
  private long fallbackSteps;
  private long knapsackSolves;
  private long shed;
  /**
   * Whether the previous step could not serve every feasible request (the knapsack ran, or the KV
   * watermark held admissions back). Then the waiting ones are ordered by remaining work instead
   * of slack: when not all can be served, the shortest first save the most SLOs per token and
   * per KV block.
   */
  private boolean congested;
  private boolean congestedNow;

  // Candidates of this step, parallel arrays indexed by candidate.
  private int size;
  private int[] runIndex = new int[64];
  private int[] waitIndex = new int[64];
  private long[] requestId = new long[64];
  private int[] remaining = new int[64];
  private int[] cachedBehind = new int[64];
  private PrefillPriority[] level = new PrefillPriority[64];
  private double[] deadline = new double[64];
  private double[] slack = new double[64];

  private final PrefillShortList shortList = new PrefillShortList(SHORT_LIST);
  private final int[] edf;
  private final int[] weights;
  private final int[] capacities;
  private final double[] values;
  private final boolean[] chosen;
  private final int[] windowRemaining;
  private final int[] windowCached;
  private final double[] windowDeadline;
  private final boolean[] windowCounts;

  private LensScheduler(LensSchedulerConfig config, LensHintSource hints, LensPlanningLoop planning,
      StepLatencyModel model, StepLatencyModelConfig modelConfig, EnginePerformancePredictor predictor,
      double defaultTtftMs, double defaultTpotMs) {
    this.config = config.validate();
    this.hints = hints;
    this.planning = planning;
    this.model = model;
    this.modelConfig = modelConfig;
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    if (!(defaultTtftMs > 0) || !(defaultTpotMs > 0)) {
      throw new IllegalArgumentException("default TTFT and TPOT targets must be > 0 ms");
    }
    this.defaultTtftMs = defaultTtftMs;
    this.defaultTpotMs = defaultTpotMs;
    int k = Math.min(config.knapsackItems(), SHORT_LIST);
    this.knapsack = new SloRescueKnapsack(k, config.knapsackUnits());
    this.edf = new int[k];
    this.weights = new int[k];
    this.capacities = new int[k];
    this.values = new double[k];
    this.chosen = new boolean[k];
    int w = Math.min(config.windowItems(), SHORT_LIST);
    this.chunker = new SlidingWindowChunker(w);
    this.windowRemaining = new int[w];
    this.windowCached = new int[w];
    this.windowDeadline = new double[w];
    this.windowCounts = new boolean[w];
    this.allowance = new StepAllowance(this.config, defaultTpotMs);
  }

  /**
   * A scheduler that applies hints from {@code hints} (null: safe defaults only) and predicts with
   * a fixed model; what an engine connector runs when hints come from the control topic.
   */
  public static LensScheduler withHints(LensSchedulerConfig config, LensHintSource hints,
      EnginePerformancePredictor predictor, double defaultTtftMs, double defaultTpotMs) {
    return new LensScheduler(config, hints, null, null, null, predictor, defaultTtftMs, defaultTpotMs);
  }

  /**
   * A scheduler that applies hints from {@code hints} (planned elsewhere, e.g. by the model-trainer
   * from the control topic) and learns its engine's model online from the engine's steps for its
   * own per-step predictions, starting from the environment's class prior (or cold).
   */
  public static LensScheduler learning(SchedulerEnvironment environment, LensSchedulerConfig config,
      LensHintSource hints, StepLatencyModelConfig modelConfig) {
    StepLatencyModel model = environment.prior() != null
        ? StepLatencyModel.fromPrior(environment.prior(), modelConfig)
        : StepLatencyModel.cold(modelConfig);
    return new LensScheduler(config, hints, null, model, modelConfig,
        EnginePerformancePredictor.of(model.snapshot(), modelConfig),
        environment.defaultTtftMs(), environment.defaultTpotMs());
  }

  /**
   * A scheduler that learns its engine's model online from the engine's steps (starting from the
   * environment's class prior, or cold) and plans its own hints with {@code planner}, delivered
   * through a {@link DelayedLensHintFeed} delayed by {@code environment.hintDelayMs()}.
   */
  public static LensScheduler selfPlanning(SchedulerEnvironment environment, LensSchedulerConfig config,
      LensPlanner planner, StepLatencyModelConfig modelConfig) {
    StepLatencyModel model = environment.prior() != null
        ? StepLatencyModel.fromPrior(environment.prior(), modelConfig)
        : StepLatencyModel.cold(modelConfig);
    DelayedLensHintFeed feed = new DelayedLensHintFeed(environment.hintDelayMs());
    LensPlanningLoop loop = new LensPlanningLoop(planner, feed, environment.engineId(),
        environment.defaultTpotMs(), config.replanIntervalMs());
    return new LensScheduler(config, feed, loop, model, modelConfig,
        EnginePerformancePredictor.of(model.snapshot(), modelConfig),
        environment.defaultTtftMs(), environment.defaultTpotMs());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The budget of the latest step (decodes included), tokens. */
  @Override
  public int tokenBudget() {
    return allowance.tokenBudget();
  }

  @Override
  public int maxNumSeqs() {
    return allowance.maxNumSeqs();
  }

  @Override
  public boolean wantsStepFeedback() {
    return model != null;
  }

  @Override
  public void onStepCompleted(StepObservation step) {
    if (model == null) {
      return;
    }
    model.learn(step);
    if (step.decodeSeqs() > 0) {
      double mean = (double) step.decodeContextSum() / step.decodeSeqs();
      meanDecodeContext = meanDecodeContext == 0 ? mean : meanDecodeContext + 0.01 * (mean - meanDecodeContext);
    }
    if (++stepsSinceRefresh >= config.modelRefreshSteps()) {
      stepsSinceRefresh = 0;
      predictor = EnginePerformancePredictor.of(model.snapshot(), modelConfig);
    }
  }

  @Override
  public long deferredRequests() {
    return deferred.size();
  }

  @Override
  public boolean wasDeferred(long id) {
    return deferred.contains(id);
  }

  @Override
  public long shedRequests() {
    return shed;
  }

  /**
   * The hint the latest step applied, or null when it ran on safe defaults (no hint yet, or the
   * last one expired). Safe to call from any thread.
   */
  public LensPlan appliedHint() {
    return applied;
  }

  /** Steps run on safe defaults because no valid hint was held. */
  public long fallbackSteps() {
    return fallbackSteps;
  }

  /** Steps in which the rescue knapsack ran. */
  public long knapsackSolves() {
    return knapsackSolves;
  }

  public long steps() {
    return steps;
  }

  /** The model the scheduler predicts with now. */
  public EnginePerformancePredictor predictor() {
    return predictor;
  }

  @Override
  public void schedule(SchedulingContext ctx) {
    steps++;
    double now = ctx.nowMs();
    kvBlocksTotal = ctx.totalBlocks();
    blockSize = ctx.blockSize();
    if (planning != null) {
      planning.maybePlan(now, predictor, meanDecodeContext, kvBlocksTotal, blockSize);
    }
    LensPlan hint = hints == null ? null : hints.current(now);
    boolean hinted = hint != null && hint.isValidAt(now);
    if (!hinted) {
      fallbackSteps++;
    }
    LensPlan nowApplied = hinted ? hint : null;
    if (nowApplied != applied) {
      applied = nowApplied;
    }
    StepAllowance step = allowance;
    step.begin(nowApplied);
    for (int i = 0; i < ctx.runningCount(); i++) {
      SchedulableRequest r = ctx.running(i);
      if (r.isPrefilling()) {
        continue;
      }
      // Read as the step found the request, before scheduling it (which may preempt).
      int context = r.computedTokens() + 1;
      int generated = r.generatedTokens();
      double firstTokenMs = r.firstTokenTimeMs();
      double tpotTargetMs = r.sloTpotMs();
      if (!ctx.scheduleRunning(i, 1)) {
        break;
      }
      step.addDecode(context, generated, firstTokenMs, tpotTargetMs, now);
    }
    int decodes = step.decodes();
    long decodeContext = step.decodeContext();
    // Prefill tokens need KV now; keep a block per running sequence free so the decodes can grow
    // without preempting anyone (recompute would cost a preempted request its TPOT).
    int kvRoom = (ctx.freeBlocks() - ctx.runningCount()) * ctx.blockSize();
    int prefillMax = step.prefillTokens(predictor, kvRoom);
    if (prefillMax <= 0) {
      shed(ctx, now, 0, 0);
      return;
    }
    int maxSeqs = step.maxNumSeqs();
    double watermark = step.kvWatermark();
    boolean fcfs = step.fcfs();
    double fullStepUs = predictor.predictStepUs(prefillMax, 1, (double) prefillMax * prefillMax, 0, 0,
        decodes, decodeContext);
    baseStepUs = Math.min(fullStepUs, predictor.predictStepUs(0, 0, 0, 0, 0, decodes, decodeContext));
    shed(ctx, now, prefillMax, fullStepUs);
    congestedNow = usedFraction(ctx) >= watermark;
    collect(ctx, now, prefillMax, fullStepUs, maxSeqs, watermark, fcfs);
    congested = congestedNow;
    int listed = shortList.size();
    if (listed == 0) {
      return;
    }
    shortList.sort();
    rescueIfOverloaded(now, prefillMax, fullStepUs, fcfs);
    int m = Math.min(listed, windowRemaining.length);
    int behind = -m;
    for (int c = 0; c < size; c++) {
      behind += level[c].isDeferred() ? 0 : 1;
    }
    for (int k = 0; k < m; k++) {
      behind += level[shortList.candidateAt(k)].isDeferred() ? 1 : 0;
    }
    for (int k = 0; k < m; k++) {
      int c = shortList.candidateAt(k);
      windowRemaining[k] = remaining[c];
      windowCached[k] = cachedBehind[c];
      windowDeadline[k] = deadline[c];
      windowCounts[k] = !level[c].isDeferred();
    }
    int tokens = chunker.choose(predictor, now, decodes, decodeContext, prefillMax, step.allowUs(), fullStepUs,
        step.preferredChunk(), m, windowRemaining, windowCached, windowDeadline, windowCounts, Math.max(0, behind));
    allocate(ctx, tokens, maxSeqs, watermark);
  }

  /**
   * Sheds waiting requests whose client has given up (waited {@code shedAfterTtftMultiple} TTFT
   * targets) and, with {@code shedHopeless}, those that would miss their TTFT even if served
   * first at this step's rate ({@code prefillMax} tokens per {@code fullStepUs}; 0 skips that
   * test): answering them now lets the client retry elsewhere instead of waiting for a late token.
   */
  private void shed(SchedulingContext ctx, double now, int prefillMax, double fullStepUs) {
    double multiple = config.shedAfterTtftMultiple();
    boolean hopeless = config.shedHopeless() && prefillMax > 0;
    if (multiple <= 0 && !hopeless) {
      return;
    }
    for (int w = ctx.waitingCount() - 1; w >= 0; w--) {
      SchedulableRequest r = ctx.waiting(w);
      if (r.generatedTokens() > 0) {
        continue;
      }
      double due = r.arrivalTimeMs() + ttftOf(r);
      boolean give = multiple > 0 && now - r.arrivalTimeMs() > multiple * ttftOf(r);
      if (!give && hopeless) {
        give = now + fastestMs(r.tokensToCompute(), prefillMax, fullStepUs) > due;
      }
      if (give) {
        long id = r.requestId();
        if (ctx.shedWaiting(w)) {
          shed++;
          deferred.add(id);
        }
      }
    }
  }

  /**
   * Fastest prefill of {@code tokens} if served first: full steps, then a last step interpolated
   * between the decode-only step and the full one (one multiply, no model call per request).
   */
  private double fastestMs(int tokens, int prefillMax, double fullStepUs) {
    int fullSteps = (tokens - 1) / prefillMax;
    int last = tokens - fullSteps * prefillMax;
    double lastUs = baseStepUs + (fullStepUs - baseStepUs) * last / prefillMax;
    return (fullSteps * fullStepUs + lastUs) / 1000.0;
  }

  /** Prefill tokens this engine can do in {@code ms} at this step's rate: the inverse of {@link #fastestMs}. */
  private long tokensBy(double ms, int prefillMax, double fullStepUs) {
    if (!(ms > 0)) {
      return 0;
    }
    double us = ms * 1000.0;
    long fullSteps = (long) Math.floor(us / fullStepUs);
    double rest = us - fullSteps * fullStepUs;
    double extra = fullStepUs > baseStepUs
        ? Math.max(0, (rest - baseStepUs) / (fullStepUs - baseStepUs)) * prefillMax : 0;
    return fullSteps * prefillMax + (long) Math.min(prefillMax, Math.floor(extra));
  }

  private double ttftOf(SchedulableRequest r) {
    double t = r.sloTtftMs();
    return Double.isNaN(t) ? defaultTtftMs : t;
  }

  /** Builds the candidates and keeps the {@link #SHORT_LIST} most urgent in the short list. */
  private void collect(SchedulingContext ctx, double now, int prefillMax, double fullStepUs, int maxSeqs,
      double watermark, boolean fcfs) {
    size = 0;
    shortList.clear();
    for (int i = 0; i < ctx.runningCount(); i++) {
      SchedulableRequest r = ctx.running(i);
      if (r.isPrefilling()) {
        add(r, i, -1, now, prefillMax, fullStepUs, true, fcfs);
      }
    }
    boolean admit = ctx.preemptionsThisStep() == 0 && ctx.runningCount() < maxSeqs
        && usedFraction(ctx) < watermark;
    if (admit) {
      int waiting = ctx.waitingCount();
      for (int w = 0; w < waiting; w++) {
        add(ctx.waiting(w), -1, w, now, prefillMax, fullStepUs, false, fcfs);
      }
    }
  }

  private static double usedFraction(SchedulingContext ctx) {
    int total = ctx.totalBlocks();
    return total <= 0 ? 0 : 1.0 - (double) ctx.freeBlocks() / total;
  }

  private void add(SchedulableRequest r, int run, int wait, double now, int prefillMax, double fullStepUs,
      boolean admitted, boolean fcfs) {
    if (size == runIndex.length) {
      grow();
    }
    int c = size++;
    int rem = r.tokensToCompute();
    runIndex[c] = run;
    waitIndex[c] = wait;
    requestId[c] = r.requestId();
    remaining[c] = rem;
    cachedBehind[c] = Math.max(0, r.promptTokens() + r.generatedTokens() - rem);
    double due = r.arrivalTimeMs() + ttftOf(r);
    deadline[c] = due;
    PrefillPriority lvl;
    double s;
    if (r.generatedTokens() > 0) {
      // Recomputing after a preemption: its first token is out, its TPOT is what is at stake.
      lvl = PrefillPriority.PROTECTED;
      s = 0;
    } else {
      s = due - now - fastestMs(rem, prefillMax, fullStepUs);
      lvl = PrefillPriority.ofFirstPrefill(s, admitted, now - r.arrivalTimeMs(), ttftOf(r));
    }
    if (lvl.isDeferred()) {
      deferred.add(r.requestId());
    }
    level[c] = lvl;
    slack[c] = s;
    shortList.offer(key(c, fcfs));
  }

  /**
   * Short-list key: level, then slack in microseconds (protected and feasible; nothing under
   * {@code fcfs}, which keeps queue order; remaining tokens for feasible ones when congested) or
   * remaining tokens (deferred), then candidate index (queue order).
   */
  private long key(int c, boolean fcfs) {
    PrefillPriority lvl = level[c];
    long value;
    if (lvl == PrefillPriority.DEFERRED) {
      value = remaining[c];
    } else if (fcfs) {
      value = 0;
    } else if (lvl == PrefillPriority.FEASIBLE && congested) {
      value = remaining[c];
    } else {
      value = (long) Math.max(0, slack[c] * 1000.0);
    }
    return PrefillShortList.key(lvl, value, c);
  }

  /**
   * Checks, in deadline order, whether the feasible prefills of the short list can all finish in
   * time at this step's rate; if not, keeps the set the knapsack saves and defers the rest.
   */
  private void rescueIfOverloaded(double now, int prefillMax, double fullStepUs, boolean fcfs) {
    int n = 0;
    for (int k = 0; k < shortList.size() && n < edf.length; k++) {
      int c = shortList.candidateAt(k);
      if (!level[c].isDeferred()) {
        int at = n++;
        while (at > 0 && deadline[edf[at - 1]] > deadline[c]) {
          edf[at] = edf[at - 1];
          at--;
        }
        edf[at] = c;
      }
    }
    if (n == 0) {
      return;
    }
    long work = 0;
    boolean late = false;
    long maxCapacity = 0;
    for (int j = 0; j < n; j++) {
      int c = edf[j];
      work += remaining[c];
      long capacity = tokensBy(deadline[c] - now, prefillMax, fullStepUs);
      maxCapacity = Math.max(maxCapacity, capacity);
      capacities[j] = (int) Math.min(Integer.MAX_VALUE, capacity);
      if (work > capacity) {
        late = true;
      }
    }
    if (!late) {
      return;
    }
    knapsackSolves++;
    congested = true;
    long unit = Math.max(1, (maxCapacity + knapsack.maxUnits() - 1) / knapsack.maxUnits());
    for (int j = 0; j < n; j++) {
      int c = edf[j];
      weights[j] = (int) Math.max(1, (remaining[c] + unit - 1) / unit);
      capacities[j] = (int) (capacities[j] / unit);
      // One SLO each; an admitted prefill breaks ties because its KV is already paid for.
      values[j] = level[c] == PrefillPriority.PROTECTED ? 1.001 : 1.0;
    }
    knapsack.solve(n, weights, capacities, values, chosen);
    boolean changed = false;
    for (int j = 0; j < n; j++) {
      if (!chosen[j]) {
        int c = edf[j];
        level[c] = PrefillPriority.DEFERRED;
        deferred.add(requestId[c]);
        changed = true;
      }
    }
    if (changed) {
      for (int k = 0; k < shortList.size(); k++) {
        shortList.rekey(k, key(shortList.candidateAt(k), fcfs));
      }
      shortList.sort();
    }
  }

  private void allocate(SchedulingContext ctx, int tokens, int maxSeqs, double watermark) {
    int left = tokens;
    boolean admitting = true;
    for (int k = 0; k < shortList.size() && left > 0; k++) {
      int c = shortList.candidateAt(k);
      int take = Math.min(remaining[c], left);
      if (runIndex[c] >= 0) {
        int i = runIndex[c];
        if (i >= ctx.runningCount() || ctx.running(i).requestId() != requestId[c]) {
          continue; // preempted while this step was planned
        }
        if (!ctx.scheduleRunning(i, take)) {
          return;
        }
        left -= take;
      } else {
        if (!admitting || ctx.preemptionsThisStep() > 0 || ctx.runningCount() >= maxSeqs
            || usedFraction(ctx) >= watermark) {
          continue;
        }
        int w = waitIndex[c];
        SchedulableRequest r = ctx.waiting(w);
        if (r.requestId() != requestId[c]) {
          continue;
        }
        // An admission earlier in this step may have cached part of this prompt (prefix caching).
        take = Math.min(r.tokensToCompute(), left);
        if (take <= 0 || !ctx.admitWaiting(w, take)) {
          admitting = false;
          continue;
        }
        left -= take;
        for (int j = k + 1; j < shortList.size(); j++) {
          int o = shortList.candidateAt(j);
          if (waitIndex[o] > w) {
            waitIndex[o]--;
          }
        }
      }
    }
  }

  private void grow() {
    int n = runIndex.length * 2;
    if (n > PrefillShortList.MAX_CANDIDATES) {
      throw new IllegalStateException("more than " + PrefillShortList.MAX_CANDIDATES + " requests in one engine");
    }
    runIndex = Arrays.copyOf(runIndex, n);
    waitIndex = Arrays.copyOf(waitIndex, n);
    requestId = Arrays.copyOf(requestId, n);
    remaining = Arrays.copyOf(remaining, n);
    cachedBehind = Arrays.copyOf(cachedBehind, n);
    level = Arrays.copyOf(level, n);
    deadline = Arrays.copyOf(deadline, n);
    slack = Arrays.copyOf(slack, n);
  }
}
