package io.synergysched.router;

import static io.synergysched.router.HandBuiltRecords.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.runtime.query.EngineSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineRosterTest {

  private static final long TIMEOUT_MS = 3_000;

  private final EngineRoster roster = new EngineRoster();

  @Test
  void shouldKeepEachEnginesIndexWhenEnginesRegisterAgainOrRetire() {
    roster.describe("e0", HandBuiltRecords.descriptor("e0").build(), NOW);
    roster.describe("e1", HandBuiltRecords.descriptor("e1").build(), NOW);
    roster.retire("e0");
    roster.describe("e2", HandBuiltRecords.descriptor("e2").build(), NOW);
    roster.describe("e0", HandBuiltRecords.descriptor("e0").setGpu("a100").build(), NOW);

    assertThat(roster.engines()).extracting(LiveEngine::engineId).containsExactly("e0", "e1", "e2");
    assertThat(roster.describedIndexOf("e2")).isEqualTo(2);
    assertThat(roster.engine("e0").gpu()).isEqualTo("a100");
    assertThat(roster.describedIndexOf("e9")).as("never described").isEqualTo(-1);
    assertThat(roster.engine("e9")).isNull();
  }

  @Test
  void shouldRouteOnlyToLiveEnginesWhenRefreshed() {
    roster.describe("e0", HandBuiltRecords.descriptor("e0").build(), NOW);
    roster.describe("e1", HandBuiltRecords.descriptor("e1").build(), NOW);
    roster.retire("e1");
    roster.retire("e9"); // never heard of: nothing to retire

    roster.refresh(NOW + 1_000, TIMEOUT_MS);
    assertThat(roster.engines()).extracting(LiveEngine::available).containsExactly(true, false);
    assertThat(roster.anyAvailable()).isTrue();
    roster.refresh(NOW + TIMEOUT_MS + 1, TIMEOUT_MS);
    assertThat(roster.anyAvailable()).as("e0's heartbeat timed out").isFalse();
  }

  @Test
  void shouldTakeTheLoadsOfANewSnapshotAndIgnoreEnginesItNeverHeardOf() {
    roster.describe("e0", HandBuiltRecords.descriptor("e0").build(), NOW);
    TrainerSnapshotPoller.Snapshot snapshot = new TrainerSnapshotPoller.Snapshot(NOW, List.of(
        new EngineSnapshot("e0", HandBuiltRecords.status("e0", 7, 12), null, null, "t:1", null),
        new EngineSnapshot("e9", HandBuiltRecords.status("e9", 7, 30), null, null, "t:1", null)));

    roster.apply(null);
    assertThat(roster.appliedSnapshot()).isNull();
    roster.apply(snapshot);

    assertThat(roster.appliedSnapshot()).isSameAs(snapshot);
    assertThat(roster.engine("e0").waiting()).isEqualTo(12);
    assertThat(roster.engines()).extracting(LiveEngine::engineId).containsExactly("e0");
  }
}
