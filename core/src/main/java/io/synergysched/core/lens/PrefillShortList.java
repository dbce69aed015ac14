package io.synergysched.core.lens;

import java.util.Arrays;

/**
 * The most urgent prefill candidates of one step, out of a queue of any length: a bounded max-heap
 * of packed keys while candidates are offered (O(log capacity) each, so the queue is never
 * sorted), then sorted, most urgent first.
 *
 * <p>A key ({@link #key}) packs the candidate's {@link PrefillPriority}, then a value where smaller
 * is more urgent, then the candidate's index, which breaks ties in queue order; comparing keys as
 * longs compares the three in that order. Single-threaded; allocation-free after construction.
 */
final class PrefillShortList {

  private static final int INDEX_BITS = 20;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
  private static final long VALUE_LIMIT = (1L << 38) - 1;
  /** Most candidates a key can index (0 to this, exclusive). */
  static final long MAX_CANDIDATES = INDEX_MASK;

  private final long[] heap;
  private final int[] order;
  private int size;

  /** @param capacity most candidates kept, &gt; 0 */
  PrefillShortList(int capacity) {
    this.heap = new long[capacity];
    this.order = new int[capacity];
  }

  /**
   * The key of candidate {@code candidate} (in [0, {@link #MAX_CANDIDATES})) at {@code level}
   * with {@code value} (&gt;= 0, e.g. slack in microseconds or remaining tokens; capped at 2^38 - 1).
   */
  static long key(PrefillPriority level, long value, int candidate) {
    return ((long) level.ordinal() << 58) | (Math.min(value, VALUE_LIMIT) << INDEX_BITS) | candidate;
  }

  /** Empties the list for a new step. */
  void clear() {
    size = 0;
  }

  /** Keeps {@code key} if it is among the capacity smallest offered since {@link #clear}. */
  void offer(long key) {
    if (size < heap.length) {
      int i = size++;
      heap[i] = key;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] >= heap[i]) {
          break;
        }
        long t = heap[parent];
        heap[parent] = heap[i];
        heap[i] = t;
        i = parent;
      }
    } else if (key < heap[0]) {
      heap[0] = key;
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) {
          break;
        }
        int big = l + 1 < size && heap[l + 1] > heap[l] ? l + 1 : l;
        if (heap[i] >= heap[big]) {
          break;
        }
        long t = heap[big];
        heap[big] = heap[i];
        heap[i] = t;
        i = big;
      }
    }
  }

  /** Sorts the kept keys, most urgent first; {@link #candidateAt} reads the result. */
  void sort() {
    Arrays.sort(heap, 0, size);
    for (int k = 0; k < size; k++) {
      order[k] = (int) (heap[k] & INDEX_MASK);
    }
  }

  /**
   * Replaces the key at rank {@code k} of the last {@link #sort} with {@code key}, which must be
   * for the same candidate; {@link #sort} again before reading the order.
   */
  void rekey(int k, long key) {
    heap[k] = key;
  }

  /** Candidates kept, at most the capacity. */
  int size() {
    return size;
  }

  /** The candidate index at rank {@code k} (0 most urgent) of the last {@link #sort}. */
  int candidateAt(int k) {
    return order[k];
  }
}
