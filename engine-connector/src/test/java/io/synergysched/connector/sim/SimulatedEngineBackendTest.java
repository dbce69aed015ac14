package io.synergysched.connector.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.connector.RecordingSink;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerEnvironment;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.EngineSpec;
import io.synergysched.simulator.profile.ProfileDirectory;
import io.synergysched.simulator.profile.ProfileOptions;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulatedEngineBackendTest {

  private static final long BUILT_AT_MS = 1_700_000_000_000L;
  /** How long the connector took between building the backend and starting it. */
  private static final long BUILD_TO_START_MS = 2_000;

  @Test
  void shouldStartTheEngineClockWhenStartedNotWhenBuiltWhenStartComesLater() throws Exception {
    AtomicLong wall = new AtomicLong(BUILT_AT_MS);
    ProfiledStepLatency latency = ProfiledStepLatency.load(
        ProfileDirectory.shared(), EngineSpec.parse("a100:llama-2-7b:tp1"), ProfileOptions.DEFAULT);
    SimulatedEngineBackend backend = new SimulatedEngineBackend(
        EngineConfig.defaults("e0"), latency,
        BatchSchedulerRegistry.create("vllm-default",
            new SchedulerEnvironment("e0", 1000, 100, null, 0)),
        50, wall::get);
    wall.addAndGet(BUILD_TO_START_MS); // profiles loaded, priors fitted, publisher built
    RecordingSink sink = new RecordingSink();
    backend.start(sink);
    try {
      long startedAt = wall.get();
      backend.submit(routed("r1", startedAt, 256, 16));
      List<RequestEvent> events = sink.awaitTerminal("r1", Duration.ofSeconds(30));

      assertThat(backend.descriptor(startedAt).getStartedAtMs()).isEqualTo(startedAt);
      assertThat(events).extracting(RequestEvent::getType).contains(RequestEventType.FINISHED);
      // the fake wall clock stands still, so every engine time is the start plus engine time
      assertThat(events).allSatisfy(e -> assertThat(e.getEventTimeMs())
          .as("%s of r1 against the request's arrival", e.getType())
          .isGreaterThanOrEqualTo(e.getArrivalTimeMs()));
      assertThat(sink.steps()).isNotEmpty().allSatisfy(s -> assertThat(s.getStartTimeMs())
          .as("step %d", s.getStepIndex()).isGreaterThanOrEqualTo(startedAt));
    } finally {
      backend.close();
    }
  }

  private static RoutedRequest routed(String id, long arrivalMs, int prompt, int output) {
    return RoutedRequest.newBuilder()
        .setEngineId("e0")
        .setDecisionId("d-" + id)
        .setRoutedAtMs(arrivalMs)
        .setPolicy("test")
        .setRequest(InferenceRequest.newBuilder()
            .setRequestId(id)
            .setArrivalTimeMs(arrivalMs)
            .setPromptTokens(prompt)
            .setMaxOutputTokens(output)
            .setSloTtftMs(1000)
            .setSloTpotMs(100)
            .build())
        .build();
  }
}
