package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.ApproximatePrefixTree;
import io.synergysched.core.routing.CandidatePicker;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.PluginParameters;
import io.synergysched.core.routing.PromptBlocks;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import io.synergysched.core.telemetry.RequestObservation;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Dynamo's KV router ({@code DefaultWorkerSelector} in lib/llm/src/kv_router/scheduler.rs) in its
 * approximate mode ({@code --no-kv-events}). Per candidate, {@code logit = overlap-score-weight x
 * prefill blocks + decode blocks}: prefill blocks = (prompt tokens still to prefill on the engine +
 * this prompt's tokens past its cached overlap) / block size, decode blocks = distinct prompt blocks
 * of the engine's active requests with this one's added. Both come from the router's own ledger
 * ({@link ActiveSequenceLedger}: updated when it routes, at the first token, at completion or
 * rejection); the overlap from an {@link ApproximatePrefixTree} of the blocks it routed, each
 * forgotten {@code ttl-s} after it was last routed, the tree pruned to {@code prune-target-ratio} of
 * {@code max-tree-size-blocks}, oldest first, when it grows past that. At {@code router-temperature}
 * 0 (the default) the lowest logit wins; a tie goes to the engine with the fewest blocks in the
 * tree, and if those are equal too, to a random one of them (seeded). Above 0 an engine is drawn
 * with probability {@code softmax(-logit / (range x temperature))}. Ignores the scores.
 */
public final class DynamoKvPicker implements CandidatePicker {

  public static final String TYPE = "dynamo-kv";

  private static final Setting<Double> OVERLAP_WEIGHT = Setting.number("overlap-score-weight", 1, 0, 1000,
      "weight of the prefill blocks against the decode blocks (Dynamo --kv-overlap-score-weight)");
  private static final Setting<Double> TEMPERATURE = Setting.number("router-temperature", 0, 0, 1000,
      "0: the lowest logit; above 0, softmax sampling over the logits (Dynamo --router-temperature)");
  private static final Setting<Integer> BLOCK_TOKENS = Setting.integer("block-tokens", 16, 1, 512,
      "tokens per KV block, the engine's (Dynamo --kv-cache-block-size); must divide 512");
  private static final Setting<Double> TTL_S = Setting.number("ttl-s", 120, 0.001, 1e9,
      "a routed block is forgotten this long after it was last routed, s (Dynamo --router-ttl)");
  private static final Setting<Long> MAX_TREE_BLOCKS = Setting.whole("max-tree-size-blocks", 1 << 20, 1,
      Long.MAX_VALUE, "blocks of all engines beyond which the tree is pruned (Dynamo --router-max-tree-size)");
  private static final Setting<Double> PRUNE_TARGET = Setting.number("prune-target-ratio", 0.8, 0, 1,
      "share of max-tree-size-blocks a prune leaves, oldest blocks first (Dynamo --router-prune-target-ratio)");
  public static final Settings PARAMETERS = Settings.of(OVERLAP_WEIGHT, TEMPERATURE, BLOCK_TOKENS, TTL_S,
      MAX_TREE_BLOCKS, PRUNE_TARGET, PluginParameters.SEED);

  private final double overlapWeight;
  private final double temperature;
  private final int blockTokens;
  private final double ttlMs;
  private final long maxTreeBlocks;
  private final long pruneTargetBlocks;
  private final SplittableRandom random;
  private final ApproximatePrefixTree tree = new ApproximatePrefixTree();
  private final ActiveSequenceLedger ledger = new ActiveSequenceLedger();
  private double[] logits = new double[16];
  private int[] overlapByEngine = new int[16];
  private int[] tied = new int[16];
  private RoutingRequest pendingRequest;
  private PromptBlocks pendingBlocks;

  public DynamoKvPicker(PluginContext context) {
    this.overlapWeight = context.get(OVERLAP_WEIGHT);
    this.temperature = context.get(TEMPERATURE);
    this.blockTokens = context.get(BLOCK_TOKENS);
    if (PromptBlocks.HASH_BLOCK_TOKENS % blockTokens != 0) {
      throw new IllegalArgumentException("profile." + context.profile().name() + "." + TYPE
          + ".block-tokens: must divide " + PromptBlocks.HASH_BLOCK_TOKENS + ", got " + blockTokens);
    }
    this.ttlMs = context.get(TTL_S) * 1000;
    this.maxTreeBlocks = context.get(MAX_TREE_BLOCKS);
    this.pruneTargetBlocks = (long) (maxTreeBlocks * context.get(PRUNE_TARGET));
    this.random = new SplittableRandom(context.get(PluginParameters.SEED));
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
    int m = c.size();
    if (logits.length < m) {
      logits = new double[Math.max(m, logits.length * 2)];
      tied = new int[logits.length];
    }
    if (overlapByEngine.length < engines.size()) {
      overlapByEngine = Arrays.copyOf(overlapByEngine, engines.size());
    }
    tree.expireTouchedBefore(request.arrivalTimeMs() - ttlMs);
    if (tree.blockCount() > maxTreeBlocks) {
      tree.pruneToBlocks(pruneTargetBlocks);
    }
    pendingRequest = request;
    pendingBlocks = PromptBlocks.of(request, blockTokens, false);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < m; k++) {
      int e = c.engineAt(k);
      int overlap = tree.matchedBlocks(e, pendingBlocks);
      overlapByEngine[e] = overlap;
      double prefillBlocks = (ledger.prefillTokens(e) + uncachedTokens(request, overlap)) / (double) blockTokens;
      double decodeBlocks = ledger.activeBlocks(e) + ledger.newBlocks(e, pendingBlocks);
      logits[k] = overlapWeight * prefillBlocks + decodeBlocks;
      min = Math.min(min, logits[k]);
      max = Math.max(max, logits[k]);
    }
    return c.engineAt(temperature == 0 ? lowest(c, min) : sample(m, min, max));
  }

  /** The candidate with logit {@code min}; among several, the smallest tree, else a random one. */
  private int lowest(Candidates c, double min) {
    int ties = 0;
    int smallestTree = Integer.MAX_VALUE;
    boolean treesDiffer = false;
    for (int k = 0; k < c.size(); k++) {
      if (logits[k] == min) {
        int size = tree.blockCount(c.engineAt(k));
        treesDiffer |= ties > 0 && size != smallestTree;
        smallestTree = Math.min(smallestTree, size);
        tied[ties++] = k;
      }
    }
    if (ties == 1 || !treesDiffer) {
      return tied[ties == 1 ? 0 : random.nextInt(ties)];
    }
    for (int i = 0; i < ties; i++) {
      if (tree.blockCount(c.engineAt(tied[i])) == smallestTree) {
        return tied[i];
      }
    }
    throw new IllegalStateException("no tied candidate has the smallest tree");
  }

  /** Dynamo's softmax over the negated logits, scaled by their range and the temperature. */
  private int sample(int m, double min, double max) {
    if (min == max) {
      return random.nextInt(m);
    }
    double range = max - min;
    double sum = 0;
    for (int k = 0; k < m; k++) {
      sum += Math.exp(-(logits[k] - min) / range / temperature);
    }
    double u = random.nextDouble() * sum;
    double cumulative = 0;
    for (int k = 0; k < m; k++) {
      cumulative += Math.exp(-(logits[k] - min) / range / temperature);
      if (u <= cumulative) {
        return k;
      }
    }
    return m - 1;
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine == Router.SHED || request != pendingRequest) {
      return;
    }
    tree.touch(engine, pendingBlocks, pendingBlocks.count(), request.arrivalTimeMs());
    ledger.add(request.requestId(), engine, pendingBlocks, uncachedTokens(request, overlapByEngine[engine]));
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    switch (event.type()) {
      case FIRST_TOKEN -> ledger.prefillCompleted(event.requestId());
      case FINISHED, REJECTED -> ledger.free(event.requestId());
      default -> { }
    }
  }

  /** Prompt tokens past the {@code overlap} cached blocks (Dynamo's {@code new_tokens}). */
  private int uncachedTokens(RoutingRequest request, int overlap) {
    return Math.max(0, request.promptTokens() - overlap * blockTokens);
  }

  /** The logit of candidate {@code k} in the last pick, for tests. */
  double lastLogit(int k) {
    return logits[k];
  }

  /** The ledger's prefill tokens of {@code engine}, for tests. */
  long prefillTokens(int engine) {
    return ledger.prefillTokens(engine);
  }

  /** The ledger's distinct active blocks of {@code engine}, for tests. */
  int activeBlocks(int engine) {
    return ledger.activeBlocks(engine);
  }
}
