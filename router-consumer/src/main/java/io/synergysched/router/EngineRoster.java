package io.synergysched.router;

import io.synergysched.runtime.query.EngineSnapshot;
import io.synergysched.schemas.EngineDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every engine a router instance has heard of, in the order it first heard of them: the list the
 * router routes over. An engine keeps its index for the life of the instance (the routers' state
 * and callbacks are by index), is described and retired by the registry, and takes its load from
 * the model-trainer's snapshots. Not thread-safe: used by the routing thread only.
 */
final class EngineRoster {

  private final List<LiveEngine> engines = new ArrayList<>();
  private final List<LiveEngine> view = Collections.unmodifiableList(engines);
  private final Map<String, Integer> index = new HashMap<>();
  private TrainerSnapshotPoller.Snapshot applied;

  /** The engines in index order, a live view: it grows as engines register. */
  List<LiveEngine> engines() {
    return view;
  }

  boolean isEmpty() {
    return engines.isEmpty();
  }

  /** Ids of the engines heard of. */
  Set<String> engineIds() {
    return index.keySet();
  }

  /** The engine with this id, or null when the registry never named it. */
  LiveEngine engine(String engineId) {
    Integer at = index.get(engineId);
    return at == null ? null : engines.get(at);
  }

  /** The index of a described engine, or -1 when the registry never described it. */
  int describedIndexOf(String engineId) {
    Integer at = index.get(engineId);
    return at != null && engines.get(at).isDescribed() ? at : -1;
  }

  /**
   * Takes a registry entry read at {@code receivedAtMs} (the router's clock), adding the engine
   * when it is new.
   */
  void describe(String engineId, EngineDescriptor descriptor, long receivedAtMs) {
    Integer at = index.get(engineId);
    if (at == null) {
      at = engines.size();
      engines.add(new LiveEngine(engineId));
      index.put(engineId, at);
    }
    engines.get(at).describe(descriptor, receivedAtMs);
  }

  /** The registry's tombstone: the engine is never chosen again unless it registers anew. */
  void retire(String engineId) {
    LiveEngine engine = engine(engineId);
    if (engine != null) {
      engine.retire();
    }
  }

  /** Re-evaluates every engine's liveness at {@code nowMs}. */
  void refresh(long nowMs, long timeoutMs) {
    for (LiveEngine engine : engines) {
      engine.refresh(nowMs, timeoutMs);
    }
  }

  boolean anyAvailable() {
    return engines.stream().anyMatch(LiveEngine::available);
  }

  /**
   * Gives the engines the loads of a snapshot newer than the one applied last; a snapshot's
   * engines the registry never named are ignored.
   *
   * @param latest the poller's newest snapshot, or null before the first
   */
  void apply(TrainerSnapshotPoller.Snapshot latest) {
    if (latest == null || latest == applied) {
      return;
    }
    for (EngineSnapshot view : latest.engines()) {
      LiveEngine engine = engine(view.engineId());
      if (view.status() != null && engine != null) {
        engine.observe(view.status());
      }
    }
    applied = latest;
  }

  /** The snapshot applied last, or null before the first. */
  TrainerSnapshotPoller.Snapshot appliedSnapshot() {
    return applied;
  }
}
