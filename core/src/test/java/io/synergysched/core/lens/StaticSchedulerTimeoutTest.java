package io.synergysched.core.lens;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.lens.FakeSchedulingContext.Request;
import io.synergysched.core.scheduling.BatchScheduler;
import io.synergysched.core.scheduling.BatchSchedulerRegistry;
import io.synergysched.core.scheduling.SchedulerEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static-budget ablation with LENS's timeout triage ({@code vllm-2048-shed}). */
class StaticSchedulerTimeoutTest {

  @Test
  void shouldShedWaitingRequestsPastTheirTtftWhenTheTimeoutVariantRuns() {
    BatchScheduler scheduler = BatchSchedulerRegistry.create(BatchSchedulerRegistry.VLLM_2048_SHED,
        new SchedulerEnvironment("e0", 1000, 100, null, 0));
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, List.of(),
        List.of(Request.waiting(1, 8_500, 400), Request.waiting(2, 9_500, 400)), 7000, 6000);

    scheduler.schedule(ctx);

    assertThat(ctx.shed).containsExactly(1L);
    assertThat(scheduler.shedRequests()).isEqualTo(1);
    assertThat(ctx.tokensFor(2)).isEqualTo(400);
  }

  @Test
  void shouldShedNothingWhenThePlainStaticSchedulerRuns() {
    BatchScheduler scheduler = BatchSchedulerRegistry.create(BatchSchedulerRegistry.VLLM_2048);
    FakeSchedulingContext ctx = new FakeSchedulingContext(10_000, List.of(),
        List.of(Request.waiting(1, 8_500, 400)), 7000, 6000);

    scheduler.schedule(ctx);

    assertThat(ctx.shed).isEmpty();
    assertThat(ctx.tokensFor(1)).isEqualTo(400);
  }
}
