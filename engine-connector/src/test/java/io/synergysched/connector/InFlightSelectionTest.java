package io.synergysched.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.InFlightSelection.Routed;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightSelectionTest {

  @Test
  void shouldRecoverHandedOverRequestsWithoutATerminalEventAndLeaveTheRestToTheReader() {
    List<Routed> routed = List.of(
        new Routed("finished-before", 0, 10),   // handed over, ended: nothing to do
        new Routed("lost-in-flight", 0, 11),    // handed over, no end: recover
        new Routed("ended-ahead", 0, 12),       // past the committed offset, ended: reader skips it
        new Routed("not-yet-read", 0, 13),      // past the committed offset, no end: reader serves it
        new Routed("lost-on-p1", 1, 4),         // handed over on another partition
        new Routed("never-read", 2, 0));        // a partition the previous run never committed

    InFlightSelection.Plan plan = InFlightSelection.select(routed, Map.of(0, 12L, 1, 5L),
        Set.of("finished-before", "ended-ahead"));

    assertThat(plan.inFlight()).containsExactly("lost-in-flight", "lost-on-p1");
    assertThat(plan.endedAhead()).containsExactly("ended-ahead");
  }

  @Test
  void shouldRecoverARequestOnceWhenItsRecordAppearsTwice() {
    List<Routed> routed = List.of(new Routed("twice", 0, 1), new Routed("twice", 1, 1));

    InFlightSelection.Plan plan = InFlightSelection.select(routed, Map.of(0, 2L, 1, 2L), Set.of());

    assertThat(plan.inFlight()).containsExactly("twice");
    assertThat(plan.endedAhead()).isEmpty();
  }

  @Test
  void shouldRecoverNothingWhenNoPreviousRunCommittedAnOffset() {
    InFlightSelection.Plan plan = InFlightSelection.select(
        List.of(new Routed("a", 0, 0), new Routed("b", 1, 7)), Map.of(), Set.of("b"));

    assertThat(plan.inFlight()).isEmpty();
    assertThat(plan.endedAhead()).containsExactly("b");
  }
}
