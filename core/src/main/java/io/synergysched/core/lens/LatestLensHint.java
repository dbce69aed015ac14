package io.synergysched.core.lens;

/**
 * A {@link LensHintSource} fed from another thread (an engine connector's control-topic reader):
 * it holds the newest hint offered, which the engine reads once per step. A hint older than the
 * one held (lower hint version and not issued later, as a reordered or replayed record would be)
 * is refused, so a replay of the compacted topic never steps the engine back. Thread-safe; reading
 * is one volatile load.
 */
public final class LatestLensHint implements LensHintSource {

  private volatile LensPlan latest;

  /**
   * Offers a hint; returns true when it replaced the one held (it is newer: a higher hint version,
   * or issued later, as after a planner that restarted its version count).
   */
  public synchronized boolean offer(LensPlan hint) {
    LensPlan held = latest;
    if (held != null && hint.hintVersion() <= held.hintVersion() && hint.issuedAtMs() <= held.issuedAtMs()) {
      return false;
    }
    latest = hint;
    return true;
  }

  /** Drops the held hint: the engine runs on its safe defaults until the next one. */
  public synchronized void clear() {
    latest = null;
  }

  /** The hint held, expired or not, or null. */
  public LensPlan held() {
    return latest;
  }

  @Override
  public LensPlan current(double nowMs) {
    return latest;
  }
}
