package io.synergysched.core.lens;

import java.util.Arrays;

/** Open-addressing set of request ids (never {@link Long#MIN_VALUE}); grows, never shrinks. */
final class RequestIdSet {

  private static final long EMPTY = Long.MIN_VALUE;
  private long[] slots = new long[64];
  private int size;

  RequestIdSet() {
    Arrays.fill(slots, EMPTY);
  }

  /** Adds {@code id}; returns true when it was not in the set. */
  boolean add(long id) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int i = slot(id, slots);
    if (slots[i] == id) {
      return false;
    }
    slots[i] = id;
    size++;
    return true;
  }

  boolean contains(long id) {
    return slots[slot(id, slots)] == id;
  }

  int size() {
    return size;
  }

  private static int slot(long id, long[] table) {
    int mask = table.length - 1;
    int i = (int) (mix(id) & mask);
    while (table[i] != EMPTY && table[i] != id) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static long mix(long x) {
    x *= 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 32);
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, EMPTY);
    for (long id : old) {
      if (id != EMPTY) {
        slots[slot(id, slots)] = id;
      }
    }
  }
}
