package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.ApproximatePrefixTree;
import io.synergysched.core.routing.CandidatePicker;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutedInFlightCounts;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PromptBlocks;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.core.telemetry.RequestObservation;
import java.util.List;

/**
 * SGLang router's {@code cache_aware} policy (sgl-router {@code policies/cache_aware.rs}). Its load
 * is the router's own count of requests it sent to each engine and has not seen finish (SGLang's
 * {@code WorkerLoadGuard}: +1 when sent, -1 when the response ends), never polled. When the loads
 * are imbalanced ({@code max - min > balance-abs-threshold} and {@code max > balance-rel-threshold
 * x min}) the least loaded engine gets the request; otherwise the engine whose approximate tree
 * holds the longest prefix of the prompt gets it if that prefix is more than {@code
 * cache-threshold} of the prompt, else the engine with the smallest tree. Either way the prompt is
 * then inserted into the chosen engine's tree. Every {@code eviction-interval-s} of event time each
 * engine's tree is cut back to {@code max-tree-size-tokens}, least recently used leaves first.
 *
 * <p>The tree is over 512-token prefix blocks (what the traces carry), weighed in tokens where
 * SGLang's is over characters: the match rate is matched prompt tokens over prompt tokens. SGLang
 * breaks ties by the iteration order of a hash map keyed by worker URL, fixed but arbitrary; here
 * the lowest engine index wins. The loads are compared over the candidates (SGLang: every worker,
 * the unhealthy included). Ignores the scores.
 */
public final class SglangCacheAwarePicker implements CandidatePicker {

  public static final String TYPE = "sglang-cache-aware";

  private static final Setting<Double> CACHE_THRESHOLD = Setting.number("cache-threshold", 0.3, 0, 1,
      "share of the prompt the best tree must match to route by cache (SGLang --cache-threshold)");
  private static final Setting<Integer> BALANCE_ABS = Setting.integer("balance-abs-threshold", 64, 0, 1_000_000,
      "imbalanced when max - min in-flight requests exceeds this (SGLang --balance-abs-threshold)");
  private static final Setting<Double> BALANCE_REL = Setting.number("balance-rel-threshold", 1.5, 1, 1000,
      "imbalanced also needs max in-flight above this times min (SGLang --balance-rel-threshold)");
  private static final Setting<Double> EVICTION_INTERVAL_S = Setting.number("eviction-interval-s", 120, 0.001, 1e9,
      "event time between LRU eviction sweeps of the trees, s (SGLang --eviction-interval-secs)");
  private static final Setting<Long> MAX_TREE_TOKENS = Setting.whole("max-tree-size-tokens", 16_777_216, 1,
      Long.MAX_VALUE, "tokens each engine's tree keeps after a sweep (SGLang --max-tree-size, 2^26 characters, "
          + "at 4 characters a token)");
  public static final Settings PARAMETERS = Settings.of(CACHE_THRESHOLD, BALANCE_ABS, BALANCE_REL,
      EVICTION_INTERVAL_S, MAX_TREE_TOKENS);

  private final double cacheThreshold;
  private final int balanceAbs;
  private final double balanceRel;
  private final double evictionIntervalMs;
  private final long maxTreeTokens;
  private final ApproximatePrefixTree tree = new ApproximatePrefixTree();
  private final RoutedInFlightCounts inFlight = new RoutedInFlightCounts();
  private double nextEvictionMs = Double.NaN;
  private RoutingRequest pendingRequest;
  private PromptBlocks pendingBlocks;

  public SglangCacheAwarePicker(PluginContext context) {
    this.cacheThreshold = context.get(CACHE_THRESHOLD);
    this.balanceAbs = context.get(BALANCE_ABS);
    this.balanceRel = context.get(BALANCE_REL);
    this.evictionIntervalMs = context.get(EVICTION_INTERVAL_S) * 1000;
    this.maxTreeTokens = context.get(MAX_TREE_TOKENS);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean observesEngines() {
    return true;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    sweepIfDue(request.arrivalTimeMs(), engines.size());
    pendingRequest = request;
    pendingBlocks = PromptBlocks.of(request, PromptBlocks.HASH_BLOCK_TOKENS, true);
    int least = c.engineAt(0);
    int max = inFlight.of(least);
    for (int k = 1; k < c.size(); k++) {
      int e = c.engineAt(k);
      if (inFlight.of(e) < inFlight.of(least)) {
        least = e;
      }
      max = Math.max(max, inFlight.of(e));
    }
    int min = inFlight.of(least);
    if (max - min > balanceAbs && max > min * balanceRel) {
      return least;
    }
    int best = c.engineAt(0);
    int bestMatched = -1;
    int smallest = best;
    for (int k = 0; k < c.size(); k++) {
      int e = c.engineAt(k);
      int matched = tree.matchedBlocks(e, pendingBlocks);
      if (matched > bestMatched) {
        bestMatched = matched;
        best = e;
      }
      if (tree.sizeTokens(e) < tree.sizeTokens(smallest)) {
        smallest = e;
      }
    }
    // SGLang's prefix_match refreshes the path it matched for the tenant it reports, chosen or not.
    tree.touch(best, pendingBlocks, bestMatched, request.arrivalTimeMs());
    double matchRate = pendingBlocks.count() == 0 ? 0
        : (double) pendingBlocks.tokensIn(bestMatched) / request.promptTokens();
    return matchRate > cacheThreshold ? best : smallest;
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine == Router.SHED) {
      return;
    }
    inFlight.routed(engine);
    if (request == pendingRequest) {
      tree.touch(engine, pendingBlocks, pendingBlocks.count(), request.arrivalTimeMs());
    }
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    inFlight.responded(engine, event);
  }

  /** The router's in-flight count of {@code engine}, for tests. */
  int inFlight(int engine) {
    return inFlight.of(engine);
  }

  /** Tokens in {@code engine}'s tree, for tests. */
  long treeTokens(int engine) {
    return tree.sizeTokens(engine);
  }

  /** SGLang's eviction thread wakes every interval from start; the first request starts the clock. */
  private void sweepIfDue(double nowMs, int engineCount) {
    if (Double.isNaN(nextEvictionMs)) {
      nextEvictionMs = nowMs + evictionIntervalMs;
    }
    if (nowMs < nextEvictionMs) {
      return;
    }
    for (int e = 0; e < engineCount; e++) {
      tree.evictToSize(e, maxTreeTokens);
    }
    while (nextEvictionMs <= nowMs) {
      nextEvictionMs += evictionIntervalMs;
    }
  }
}
