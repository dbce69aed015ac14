package io.synergysched.runtime.records;

import io.synergysched.core.lens.LensPlan;

/**
 * What makes a {@link io.synergysched.schemas.LensHint} applicable: its invariants (sorted budget
 * curve, watermark in range, a known priority policy, ...) hold, which {@link LensPlan}'s
 * constructor checks when {@link io.synergysched.runtime.mapping.LensHintMapping#toCore} builds
 * it, and the record is keyed by the engine the hint is for. Thread-safe.
 */
public final class LensHintRules {

  private LensHintRules() {}

  /**
   * @param key the record's key, or null
   * @param hint the record mapped to its core form (so its invariants hold), not null
   * @return why the engine the record is keyed by must not apply the hint, or null
   */
  public static String problem(String key, LensPlan hint) {
    return EngineKeyedRecords.keyProblem(key, hint.engineId(), "hint");
  }
}
