package io.synergysched.simulator.engine;

/**
 * The paged KV cache's blocks, as vLLM v1's block pool keeps them: reference counts, a free queue
 * in least-recently-freed order, and (with prefix caching) a map from block content hash to the
 * block holding it. A freed block keeps its cached content until it is handed out again, so the
 * free queue doubles as the LRU eviction order. Ids are ints and the queue is intrusive, so
 * nothing is allocated after construction.
 */
final class KvBlockPool {

  private static final long NO_KEY = Long.MIN_VALUE;

  private final int capacity;
  private final int[] refCount;
  private final long[] blockKey;
  private final int[] prev;
  private final int[] next;
  private final int head;
  private final LongIntHashMap cached;
  private int freeCount;
  private long evictions;

  KvBlockPool(int capacity, boolean prefixCaching) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("KV cache must have at least one block, got " + capacity);
    }
    this.capacity = capacity;
    this.refCount = new int[capacity];
    this.blockKey = new long[capacity];
    this.prev = new int[capacity + 1];
    this.next = new int[capacity + 1];
    this.head = capacity;
    this.cached = prefixCaching ? new LongIntHashMap(Math.min(capacity, 1 << 16)) : null;
    prev[head] = head;
    next[head] = head;
    for (int b = 0; b < capacity; b++) {
      blockKey[b] = NO_KEY;
      append(b);
    }
    freeCount = capacity;
  }

  int capacity() {
    return capacity;
  }

  /** Blocks with no reference: never used, or cached and evictable. */
  int freeBlocks() {
    return freeCount;
  }

  int usedBlocks() {
    return capacity - freeCount;
  }

  boolean prefixCaching() {
    return cached != null;
  }

  long evictions() {
    return evictions;
  }

  /** Takes the least recently freed block, evicting whatever content it cached. */
  int allocate() {
    int b = next[head];
    if (b == head) {
      throw new IllegalStateException("KV cache exhausted");
    }
    unlink(b);
    if (blockKey[b] != NO_KEY) {
      cached.remove(blockKey[b]);
      blockKey[b] = NO_KEY;
      evictions++;
    }
    refCount[b] = 1;
    return b;
  }

  /** Block caching {@code key}, or -1. */
  int lookup(long key) {
    return cached == null ? -1 : cached.get(key);
  }

  boolean isFree(int block) {
    return refCount[block] == 0;
  }

  /** Takes a reference on a cached block (a prefix hit). */
  void touch(int block) {
    if (refCount[block] == 0) {
      unlink(block);
    }
    refCount[block]++;
  }

  void release(int block) {
    if (--refCount[block] == 0) {
      append(block);
    }
  }

  /** Records that {@code block} now holds the content hashed as {@code key}. */
  void register(int block, long key) {
    if (cached != null && blockKey[block] == NO_KEY && cached.get(key) < 0) {
      cached.put(key, block);
      blockKey[block] = key;
    }
  }

  private void append(int b) {
    int tail = prev[head];
    next[tail] = b;
    prev[b] = tail;
    next[b] = head;
    prev[head] = b;
    freeCount++;
  }

  private void unlink(int b) {
    next[prev[b]] = next[b];
    prev[next[b]] = prev[b];
    freeCount--;
  }
}
