package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidateScorer;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutedPrefixIndex;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Settings;
import java.util.List;

/**
 * llm-d's {@code prefix-cache-scorer} (approximate mode): the share of the request's prefix blocks
 * the router itself sent to the engine before, from a {@link RoutedPrefixIndex}; 0 for requests
 * without block hashes. The index capacity per engine is its KV cache in hash blocks (512 tokens),
 * the setting that matches the engine (llm-d sizes it with {@code lruCapacityPerServer}).
 */
public final class PrefixCacheScorer implements CandidateScorer {

  public static final String TYPE = "prefix-cache";

  /** Declares no parameters. */
  public static final Settings PARAMETERS = Settings.of();
  /** Prompt tokens per prefix hash (Mooncake's {@code hash_ids}). */
  static final int HASH_BLOCK_TOKENS = 512;

  private final RoutedPrefixIndex index;
  private List<? extends EngineView> lastEngines;

  public PrefixCacheScorer(PluginContext context) {
    this.index = context.shared(RoutedPrefixIndex.class, RoutedPrefixIndex::new);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void score(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] scores) {
    lastEngines = engines;
    long[] hashes = request.prefixHashes();
    for (int k = 0; k < c.size(); k++) {
      scores[k] = hashes.length == 0 ? 0 : (double) index.matchedPrefix(c.engineAt(k), hashes) / hashes.length;
    }
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine != Router.SHED && request.prefixHashes().length > 0 && lastEngines != null) {
      index.record(engine, request.prefixHashes(), capacityBlocks(lastEngines.get(engine)));
    }
  }

  static int capacityBlocks(EngineView e) {
    return Math.max(1, (int) ((long) e.kvBlocksTotal() * 16 / HASH_BLOCK_TOKENS));
  }
}
