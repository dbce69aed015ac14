package io.synergysched.core.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approximate radix tree of SGLang's {@code cache_aware} router and of Dynamo's approximate KV
 * indexer: per engine, the prompt blocks the router itself sent there ({@link PromptBlocks} keys,
 * each standing for its whole prefix, so a set of keys is a prefix-closed tree), when each was last
 * touched, and the tokens they hold. It sees no eviction on the engine; it forgets only by its own
 * rules, which the caller applies: least recently used leaves beyond a size (SGLang), or blocks not
 * touched for a time to live (Dynamo).
 *
 * <p>Why not {@link RoutedPrefixIndex}: that index evicts on every insert beyond a count of hashes
 * and keeps neither touch times nor sizes, while SGLang evicts in periodic sweeps down to a size in
 * characters and reads each engine's size to pick "the smallest tree", and Dynamo expires by age.
 *
 * <p>A touch refreshes a path from its last block back to its first, so among blocks touched at the
 * same moment the deepest is the least recent: evicting in least-recent order then removes leaves
 * before the blocks they hang from, as both trees do. Touch times must not decrease (event time).
 * Single-threaded.
 */
public final class ApproximatePrefixTree {

  private static final class Block {
    final int tokens;
    double touchedMs;

    Block(int tokens, double touchedMs) {
      this.tokens = tokens;
      this.touchedMs = touchedMs;
    }
  }

  private final List<LinkedHashMap<Long, Block>> byEngine = new ArrayList<>();
  private long[] sizeTokens = new long[0];
  private long blocks;

  /**
   * Leading blocks of {@code prompt} that {@code engine} holds, 0 for an engine never sent any.
   * Does not count as a touch.
   */
  public int matchedBlocks(int engine, PromptBlocks prompt) {
    if (engine >= byEngine.size()) {
      return 0;
    }
    Map<Long, Block> tree = byEngine.get(engine);
    int matched = 0;
    while (matched < prompt.count() && tree.containsKey(prompt.keys()[matched])) {
      matched++;
    }
    return matched;
  }

  /**
   * Records that {@code engine} holds the first {@code count} blocks of {@code prompt}, touched at
   * {@code nowMs}: new blocks are added, held ones refreshed.
   */
  public void touch(int engine, PromptBlocks prompt, int count, double nowMs) {
    ensure(engine);
    LinkedHashMap<Long, Block> tree = byEngine.get(engine);
    for (int i = count - 1; i >= 0; i--) {
      Block held = tree.get(prompt.keys()[i]); // access order: moves it to the most recent end
      if (held != null) {
        held.touchedMs = nowMs;
      } else {
        tree.put(prompt.keys()[i], new Block(prompt.tokens()[i], nowMs));
        sizeTokens[engine] += prompt.tokens()[i];
        blocks++;
      }
    }
  }

  /** Tokens held for {@code engine} (SGLang's per-tenant character count), &gt;= 0. */
  public long sizeTokens(int engine) {
    return engine < sizeTokens.length ? sizeTokens[engine] : 0;
  }

  /** Blocks held for {@code engine} (Dynamo's tree size of a worker), &gt;= 0. */
  public int blockCount(int engine) {
    return engine < byEngine.size() ? byEngine.get(engine).size() : 0;
  }

  /** Blocks held over all engines, &gt;= 0. */
  public long blockCount() {
    return blocks;
  }

  /** Removes {@code engine}'s least recently touched blocks until it holds at most {@code maxTokens}. */
  public void evictToSize(int engine, long maxTokens) {
    if (engine >= byEngine.size()) {
      return;
    }
    Iterator<Block> eldest = byEngine.get(engine).values().iterator();
    while (sizeTokens[engine] > maxTokens && eldest.hasNext()) {
      drop(engine, eldest.next(), eldest);
    }
  }

  /** Removes every block last touched before {@code cutoffMs}, on every engine. */
  public void expireTouchedBefore(double cutoffMs) {
    for (int e = 0; e < byEngine.size(); e++) {
      Iterator<Block> eldest = byEngine.get(e).values().iterator();
      while (eldest.hasNext()) {
        Block b = eldest.next();
        if (b.touchedMs >= cutoffMs) {
          break;
        }
        drop(e, b, eldest);
      }
    }
  }

  /** Removes the least recently touched blocks over all engines until at most {@code maxBlocks} remain. */
  public void pruneToBlocks(long maxBlocks) {
    while (blocks > maxBlocks) {
      int oldest = -1;
      double oldestMs = Double.POSITIVE_INFINITY;
      for (int e = 0; e < byEngine.size(); e++) {
        LinkedHashMap<Long, Block> tree = byEngine.get(e);
        if (!tree.isEmpty()) {
          double t = tree.values().iterator().next().touchedMs;
          if (t < oldestMs) {
            oldestMs = t;
            oldest = e;
          }
        }
      }
      Iterator<Block> eldest = byEngine.get(oldest).values().iterator();
      drop(oldest, eldest.next(), eldest);
    }
  }

  /** Drops {@code block}, the one {@code positioned} has just returned. */
  private void drop(int engine, Block block, Iterator<Block> positioned) {
    positioned.remove();
    sizeTokens[engine] -= block.tokens;
    blocks--;
  }

  private void ensure(int engine) {
    while (byEngine.size() <= engine) {
      byEngine.add(new LinkedHashMap<>(64, 0.75f, true));
    }
    if (sizeTokens.length <= engine) {
      sizeTokens = Arrays.copyOf(sizeTokens, engine + 1);
    }
  }
}
