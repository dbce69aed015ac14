package io.synergysched.simulator.engine;

import java.util.Arrays;

/**
 * Open-addressing map from long keys to non-negative int values, so the prefix cache's lookups
 * neither box nor allocate. Linear probing with backward-shift deletion.
 */
final class LongIntHashMap {

  private static final int ABSENT = -1;

  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  LongIntHashMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(values, ABSENT);
    mask = capacity - 1;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The value, or -1 when absent. */
  int get(long key) {
    int i = slot(key, mask);
    while (values[i] != ABSENT) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return ABSENT;
  }

  void put(long key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int i = slot(key, mask);
    while (values[i] != ABSENT) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }

  void remove(long key) {
    int i = slot(key, mask);
    while (values[i] != ABSENT) {
      if (keys[i] == key) {
        break;
      }
      i = (i + 1) & mask;
    }
    if (values[i] == ABSENT) {
      return;
    }
    values[i] = ABSENT;
    size--;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (values[j] == ABSENT) {
        return;
      }
      int home = slot(keys[j], mask);
      boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        keys[i] = keys[j];
        values[i] = values[j];
        values[j] = ABSENT;
        i = j;
      }
    }
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(values, ABSENT);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != ABSENT) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
