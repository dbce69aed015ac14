package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.PromptBlocks;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Dynamo KV router's {@code ActiveSequences}, one per engine: the requests the router sent there
 * and has not seen complete, the distinct KV blocks of their prompts (a block shared by two active
 * requests counts once: {@code router_assume_kv_reuse}), and the prompt tokens still to prefill
 * (each request's uncached tokens, from routing until its first token). Output blocks are not
 * tracked ({@code router_track_output_blocks} is off by default). Single-threaded.
 */
final class ActiveSequenceLedger {

  private record Active(int engine, PromptBlocks blocks, int prefillTokens) {}

  private final Map<Long, Active> requests = new HashMap<>();
  private final Map<Long, Boolean> prefilling = new HashMap<>();
  private Map<Long, Integer>[] blockRefs = newRefs(16);
  private long[] prefillTokens = new long[16];

  /** Distinct prompt blocks of the requests active on {@code engine}. */
  int activeBlocks(int engine) {
    return engine < blockRefs.length && blockRefs[engine] != null ? blockRefs[engine].size() : 0;
  }

  /** Blocks of {@code prompt} that no request active on {@code engine} holds. */
  int newBlocks(int engine, PromptBlocks prompt) {
    Map<Long, Integer> refs = engine < blockRefs.length ? blockRefs[engine] : null;
    if (refs == null) {
      return prompt.count();
    }
    int fresh = 0;
    for (int i = 0; i < prompt.count(); i++) {
      if (!refs.containsKey(prompt.keys()[i])) {
        fresh++;
      }
    }
    return fresh;
  }

  /** Prompt tokens routed to {@code engine} whose first token has not come back. */
  long prefillTokens(int engine) {
    return engine < prefillTokens.length ? prefillTokens[engine] : 0;
  }

  /** Request {@code id} went to {@code engine} with {@code uncachedTokens} to prefill. A second add replaces the first. */
  void add(long id, int engine, PromptBlocks prompt, int uncachedTokens) {
    free(id);
    ensure(engine);
    Map<Long, Integer> refs = blockRefs[engine];
    for (int i = 0; i < prompt.count(); i++) {
      refs.merge(prompt.keys()[i], 1, Integer::sum);
    }
    requests.put(id, new Active(engine, prompt, uncachedTokens));
    prefilling.put(id, Boolean.TRUE);
    prefillTokens[engine] += uncachedTokens;
  }

  /** The first token of {@code id} came back: its prompt no longer waits for prefill. */
  void prefillCompleted(long id) {
    Active a = requests.get(id);
    if (a != null && prefilling.remove(id) != null) {
      prefillTokens[a.engine()] -= a.prefillTokens();
    }
  }

  /** {@code id} finished or was rejected: its blocks are released. Unknown ids are ignored. */
  void free(long id) {
    prefillCompleted(id);
    Active a = requests.remove(id);
    if (a == null) {
      return;
    }
    Map<Long, Integer> refs = blockRefs[a.engine()];
    for (int i = 0; i < a.blocks().count(); i++) {
      refs.computeIfPresent(a.blocks().keys()[i], (k, n) -> n == 1 ? null : n - 1);
    }
  }

  private void ensure(int engine) {
    if (blockRefs.length <= engine) {
      int n = Math.max(engine + 1, blockRefs.length * 2);
      blockRefs = Arrays.copyOf(blockRefs, n);
      prefillTokens = Arrays.copyOf(prefillTokens, n);
    }
    if (blockRefs[engine] == null) {
      blockRefs[engine] = new HashMap<>();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Long, Integer>[] newRefs(int n) {
    return new Map[n];
  }
}
