package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefillShortListTest {

  private static List<Integer> order(PrefillShortList list) {
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < list.size(); k++) {
      out.add(list.candidateAt(k));
    }
    return out;
  }

  @Test
  void shouldOrderByLevelThenValueThenQueuePositionWhenSorted() {
    PrefillShortList list = new PrefillShortList(8);
    list.offer(PrefillShortList.key(PrefillPriority.DEFERRED, 10, 0));
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 500, 1));
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 200, 2));
    list.offer(PrefillShortList.key(PrefillPriority.PROTECTED, 900, 3));
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 200, 4));

    list.sort();

    assertThat(order(list)).containsExactly(3, 2, 4, 1, 0);
  }

  @Test
  void shouldKeepOnlyTheMostUrgentWhenMoreThanTheCapacityAreOffered() {
    Random random = new Random(42);
    PrefillShortList list = new PrefillShortList(16);
    List<long[]> offered = new ArrayList<>();
    for (int c = 0; c < 1000; c++) {
      long value = random.nextInt(100_000);
      offered.add(new long[] {value, c});
      list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, value, c));
    }

    list.sort();

    offered.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    List<Integer> expected = new ArrayList<>();
    for (int k = 0; k < 16; k++) {
      expected.add((int) offered.get(k)[1]);
    }
    assertThat(list.size()).isEqualTo(16);
    assertThat(order(list)).isEqualTo(expected);
  }

  @Test
  void shouldCapTheValueSoItNeverReachesIntoTheLevelWhenItIsHuge() {
    long capped = PrefillShortList.key(PrefillPriority.PROTECTED, Long.MAX_VALUE, 5);

    assertThat(capped).isLessThan(PrefillShortList.key(PrefillPriority.FEASIBLE, 0, 0));
    assertThat(capped).isEqualTo(PrefillShortList.key(PrefillPriority.PROTECTED, (1L << 38) - 1, 5));
  }

  @Test
  void shouldReorderAfterRekeyWhenACandidateIsDeferred() {
    PrefillShortList list = new PrefillShortList(4);
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 100, 0));
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 200, 1));
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 300, 2));
    list.sort();

    list.rekey(0, PrefillShortList.key(PrefillPriority.DEFERRED, 100, 0));
    list.sort();

    assertThat(order(list)).containsExactly(1, 2, 0);
  }

  @Test
  void shouldStartEmptyWhenClearedForTheNextStep() {
    PrefillShortList list = new PrefillShortList(4);
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 100, 0));
    list.offer(PrefillShortList.key(PrefillPriority.FEASIBLE, 50, 1));

    list.clear();
    list.offer(PrefillShortList.key(PrefillPriority.DEFERRED, 7, 3));
    list.sort();

    assertThat(order(list)).containsExactly(3);
  }
}
