package io.synergysched.runtime.records;

import io.synergysched.schemas.EngineDescriptor;

/**
 * What makes an {@link EngineDescriptor} describe an engine: keyed by its engine id, positive
 * capacities, no negative times. The registry topic is compacted and read by a global store and
 * by every router, where nothing can be dead-lettered: a descriptor that breaks these rules is
 * skipped with a logged reason, and the engine keeps what its last good descriptor said.
 * Thread-safe.
 */
public final class EngineDescriptorRules {

  private EngineDescriptorRules() {}

  /**
   * @param key the record's key, or null
   * @param d the decoded descriptor, not null (a null value is a tombstone: it retires the engine)
   * @return the first reason the descriptor cannot describe an engine, or null
   */
  public static String problem(String key, EngineDescriptor d) {
    String keyProblem = EngineKeyedRecords.keyProblem(key, d.getEngineId(), "descriptor");
    if (keyProblem != null) {
      return keyProblem;
    }
    if (d.getTensorParallel() <= 0 || d.getKvBlocksTotal() <= 0 || d.getBlockSizeTokens() <= 0
        || d.getMaxNumSeqs() <= 0 || d.getMaxNumBatchedTokens() <= 0 || d.getMaxModelLen() <= 0) {
      return "non-positive engine capacity";
    }
    if (d.getHeartbeatMs() < 0 || d.getStartedAtMs() < 0) {
      return "negative time";
    }
    return null;
  }
}
