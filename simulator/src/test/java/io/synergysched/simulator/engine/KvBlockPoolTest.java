package io.synergysched.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KvBlockPoolTest {

  @Test
  void shouldEvictTheLeastRecentlyFreedBlockWhenAllocatingFromAFullCache() {
    KvBlockPool pool = new KvBlockPool(3, true);
    int a = pool.allocate();
    int b = pool.allocate();
    int c = pool.allocate();
    pool.register(a, 100);
    pool.register(b, 200);
    pool.register(c, 300);
    pool.release(b);
    pool.release(a);
    pool.release(c);

    int reused = pool.allocate();

    assertThat(reused).isEqualTo(b);
    assertThat(pool.lookup(200)).isEqualTo(-1);
    assertThat(pool.lookup(100)).isEqualTo(a);
    assertThat(pool.evictions()).isEqualTo(1);
  }

  @Test
  void shouldKeepATouchedBlockOutOfTheFreeQueueWhenItIsAPrefixHit() {
    KvBlockPool pool = new KvBlockPool(2, true);
    int a = pool.allocate();
    pool.register(a, 7);
    pool.release(a);
    assertThat(pool.freeBlocks()).isEqualTo(2);

    pool.touch(pool.lookup(7));

    assertThat(pool.freeBlocks()).isEqualTo(1);
    assertThat(pool.allocate()).isNotEqualTo(a);
  }

  @Test
  void shouldFindEveryKeyWhenManyAreInsertedAndSomeRemoved() {
    LongIntHashMap map = new LongIntHashMap(4);
    for (int i = 0; i < 10_000; i++) {
      map.put(i * 31L, i);
    }
    for (int i = 0; i < 10_000; i += 2) {
      map.remove(i * 31L);
    }
    for (int i = 0; i < 10_000; i++) {
      assertThat(map.get(i * 31L)).isEqualTo(i % 2 == 0 ? -1 : i);
    }
    assertThat(map.size()).isEqualTo(5_000);
  }
}
