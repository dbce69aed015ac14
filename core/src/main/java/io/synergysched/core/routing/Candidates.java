package io.synergysched.core.routing;

/**
 * The engines still in the running for one decision, as indices into the engine list, in engine
 * order. Filters remove from it; scorers and pickers read it. Reused across decisions (no
 * allocation per decision once grown); single-threaded.
 */
public final class Candidates {

  private int[] engines = new int[16];
  private int size;

  /** Resets to all engines {@code 0..count-1}. */
  public void resetToAll(int count) {
    if (engines.length < count) {
      engines = new int[Math.max(count, engines.length * 2)];
    }
    for (int i = 0; i < count; i++) {
      engines[i] = i;
    }
    size = count;
  }

  /** Number of candidates, &gt;= 0. */
  public int size() {
    return size;
  }

  /** Engine index of candidate {@code k}, {@code 0 <= k < size()}. */
  public int engineAt(int k) {
    return engines[k];
  }

  /** Keeps only the candidates whose {@code keep[k]} is true, in order. */
  public void retain(boolean[] keep) {
    int w = 0;
    for (int k = 0; k < size; k++) {
      if (keep[k]) {
        engines[w++] = engines[k];
      }
    }
    size = w;
  }

  /** Copies this set into {@code target} (for restoring after a filter emptied it). */
  public void copyTo(Candidates target) {
    if (target.engines.length < size) {
      target.engines = new int[engines.length];
    }
    System.arraycopy(engines, 0, target.engines, 0, size);
    target.size = size;
  }
}
