package io.synergysched.core.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An approximate prefix-cache index kept by the router from its own decisions, as llm-d's
 * {@code prefix-cache-scorer} does: which prefix block hashes each engine was sent recently, in LRU
 * order with a capacity per engine. It does not see evictions on the engine, only its own traffic.
 */
public final class RoutedPrefixIndex {

  private final List<LinkedHashMap<Long, Boolean>> byEngine = new ArrayList<>();
  private final List<Integer> capacities = new ArrayList<>();

  /** Sets the capacity (hash blocks) of {@code engine}, &gt; 0; the first call per engine wins. */
  public void ensureEngine(int engine, int capacityBlocks) {
    while (byEngine.size() <= engine) {
      int cap = Math.max(1, capacityBlocks);
      capacities.add(cap);
      byEngine.add(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
          return size() > cap;
        }
      });
    }
  }

  /** Number of leading hashes of {@code hashes} that {@code engine} was sent, 0 if unknown. */
  public int matchedPrefix(int engine, long[] hashes) {
    if (engine >= byEngine.size()) {
      return 0;
    }
    LinkedHashMap<Long, Boolean> index = byEngine.get(engine);
    int matched = 0;
    for (long h : hashes) {
      if (!index.containsKey(h)) {
        break;
      }
      matched++;
    }
    return matched;
  }

  /** Records that {@code engine} was sent a prompt with these block hashes. */
  public void record(int engine, long[] hashes, int capacityBlocks) {
    ensureEngine(engine, capacityBlocks);
    LinkedHashMap<Long, Boolean> index = byEngine.get(engine);
    for (long h : hashes) {
      index.put(h, Boolean.TRUE);
    }
  }
}
