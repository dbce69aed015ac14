package io.synergysched.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.EngineDescriptor;
import org.junit.jupiter.api.Test;

class LiveEngineTest {

  private static final long TIMEOUT_MS = 3_000;

  private static EngineDescriptor heartbeat(long heartbeatMs) {
    return HandBuiltRecords.descriptor("e0").setHeartbeatMs(heartbeatMs).build();
  }

  @Test
  void anEngineIsAliveUntilTheTimeoutAfterItsLastHeartbeat() {
    LiveEngine engine = new LiveEngine("e0");
    engine.describe(heartbeat(10_000), 10_050);

    engine.refresh(12_000, TIMEOUT_MS);
    assertThat(engine.available()).isTrue();
    engine.refresh(13_001, TIMEOUT_MS);
    assertThat(engine.available()).isFalse();
  }

  @Test
  void aHeartbeatStampedInTheFutureCountsFromWhenItArrived() {
    LiveEngine engine = new LiveEngine("e0");
    // a malicious or badly skewed engine stamps its last heartbeat an hour ahead, then stops
    engine.describe(heartbeat(10_000 + 3_600_000), 10_000);

    engine.refresh(12_000, TIMEOUT_MS);
    assertThat(engine.available()).isTrue();
    engine.refresh(13_001, TIMEOUT_MS);
    assertThat(engine.available()).as("dead 3 s after its last heartbeat arrived").isFalse();
  }

  @Test
  void anOldHeartbeatReadLateKeepsItsOwnStamp() {
    LiveEngine engine = new LiveEngine("e0");
    // a registry entry from before the router started, read at start-up: the engine may be gone
    engine.describe(heartbeat(1_000), 60_000);

    engine.refresh(60_000, TIMEOUT_MS);
    assertThat(engine.available()).isFalse();
  }
}
