package io.synergysched.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routers' numeric ids for request ids (text): a request's decision and its engine's later
 * events name it by the same number, which the routers' models key their state by. Remembers the
 * most recent {@code capacity} ids, forgetting the oldest first; an id seen again after it was
 * forgotten gets a new number. Not thread-safe: used by the routing thread only.
 */
final class RequestIds {

  /** Ids remembered by a router instance: more than are in flight at once on any cluster. */
  static final int REMEMBERED = 1_000_000;

  private final Map<String, Long> ids;
  private long last;

  RequestIds() {
    this(REMEMBERED);
  }

  /** @param capacity ids remembered, &gt; 0 */
  RequestIds(int capacity) {
    ids = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The number of {@code requestId}: the one given before, or the next, from 1 on. */
  long of(String requestId) {
    return ids.computeIfAbsent(requestId, k -> ++last);
  }
}
