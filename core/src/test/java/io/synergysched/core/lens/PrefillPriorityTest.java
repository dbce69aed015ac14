package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefillPriorityTest {

  @Test
  void shouldProtectAnAdmittedPrefillWhenItIsOnTrack() {
    assertThat(PrefillPriority.ofFirstPrefill(0, true, 100, 1000)).isEqualTo(PrefillPriority.PROTECTED);
  }

  @Test
  void shouldRankAWaitingRequestFeasibleWhenItCanStillMakeItsTtft() {
    assertThat(PrefillPriority.ofFirstPrefill(250, false, 100, 1000)).isEqualTo(PrefillPriority.FEASIBLE);
  }

  @Test
  void shouldDeferAWaitingRequestWhenItCannotMakeItsTtft() {
    assertThat(PrefillPriority.ofFirstPrefill(-1, false, 5000, 1000)).isEqualTo(PrefillPriority.DEFERRED);
  }

  @Test
  void shouldDeferAnAdmittedPrefillThatIsLateUntilItHasWaitedTwoTtftTargets() {
    assertThat(PrefillPriority.ofFirstPrefill(-1, true, 2000, 1000)).isEqualTo(PrefillPriority.DEFERRED);
    assertThat(PrefillPriority.ofFirstPrefill(-1, true, 2001, 1000)).isEqualTo(PrefillPriority.PROTECTED);
  }

  @Test
  void shouldDeferWhenTheSlackIsNotANumber() {
    assertThat(PrefillPriority.ofFirstPrefill(Double.NaN, false, 0, 1000)).isEqualTo(PrefillPriority.DEFERRED);
  }

  @Test
  void shouldServeTheLevelsInDeclarationOrderWhenKeysAreCompared() {
    long protectedKey = PrefillShortList.key(PrefillPriority.PROTECTED, Long.MAX_VALUE, 9);
    long feasibleKey = PrefillShortList.key(PrefillPriority.FEASIBLE, 0, 0);
    long deferredKey = PrefillShortList.key(PrefillPriority.DEFERRED, 0, 0);

    assertThat(protectedKey).isLessThan(feasibleKey);
    assertThat(feasibleKey).isLessThan(deferredKey);
    assertThat(PrefillPriority.DEFERRED.isDeferred()).isTrue();
    assertThat(PrefillPriority.FEASIBLE.isDeferred()).isFalse();
  }
}
