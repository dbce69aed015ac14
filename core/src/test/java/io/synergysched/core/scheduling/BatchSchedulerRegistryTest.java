package io.synergysched.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchSchedulerRegistryTest {

  /** An engine whose default TTFT target is 1 s. */
  private static final SchedulerEnvironment ENGINE = new SchedulerEnvironment("e0", 1000, 100, null, 0);

  static Stream<Arguments> builtIn() {
    return Stream.of(
        // name, type, token budget, max sequences, a never-started request waiting this long is shed (ms; -1 never)
        arguments("vllm-default", "fcfs-chunked-prefill", 8192, 256, -1),
        arguments("vllm-2048", "fcfs-chunked-prefill", 2048, 256, -1),
        arguments("sarathi-512", "fcfs-chunked-prefill", 512, 256, -1),
        arguments("vllm-2048-shed", "fcfs-chunked-prefill", 2048, 256, 1000),
        arguments("sarathi-512-shed", "fcfs-chunked-prefill", 512, 256, 1000),
        arguments("lens", "lens", 2048, 256, 1000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtIn")
  void shouldBuildEachBuiltInSchedulerAsConfiguredWhenAskedByName(String name, String type, int budget,
      int maxNumSeqs, int shedAfterMs) {
    BatchScheduler scheduler = BatchSchedulerRegistry.create(name, ENGINE);

    assertThat(BatchSchedulerRegistry.profile(name).type()).isEqualTo(type);
    assertThat(scheduler.name()).isEqualTo(name);
    assertThat(scheduler.tokenBudget()).isEqualTo(budget);
    assertThat(scheduler.maxNumSeqs()).isEqualTo(maxNumSeqs);
    assertThat(shedAfterWaiting(scheduler, 1200)).as("shed after 1.2 s").isEqualTo(shedAfterMs >= 0);
    assertThat(shedAfterWaiting(BatchSchedulerRegistry.create(name, ENGINE), 800)).as("shed after 0.8 s").isFalse();
  }

  @Test
  void shouldKnowEveryBuiltInNameAndFailNamingThemWhenUnknown() {
    assertThat(BatchSchedulerRegistry.names()).containsExactly(
        "lens", "sarathi-512", "sarathi-512-shed", "vllm-2048", "vllm-2048-shed", "vllm-default");
    assertThat(BatchSchedulerRegistry.types()).containsExactly("fcfs-chunked-prefill", "lens");
    assertThatThrownBy(() -> BatchSchedulerRegistry.create("vllm-4096"))
        .hasMessageStartingWith("unknown scheduler 'vllm-4096', known: lens, sarathi-512");
  }

  @Test
  void shouldInheritAndOverrideWhenAProfileExtendsAnother() {
    Map<String, SchedulerProfile> all = BatchSchedulerRegistry.parseAll(props(
        "scheduler.base.type", "fcfs-chunked-prefill", "scheduler.base.token-budget", "1024",
        "scheduler.base.max-num-seqs", "64",
        "scheduler.child.extends", "base", "scheduler.child.max-num-seqs", "32"));

    assertThat(all.get("child")).isEqualTo(new SchedulerProfile("child", "fcfs-chunked-prefill",
        Map.of("token-budget", "1024", "max-num-seqs", "32")));
  }

  @Test
  void shouldFailNamingTheFullKeyWhenAProfileIsBad() {
    assertThatThrownBy(() -> BatchSchedulerRegistry.parseAll(props("scheduler.x.token-budget", "1")))
        .hasMessageStartingWith("scheduler.x.type is required");
    assertThatThrownBy(() -> BatchSchedulerRegistry.parseAll(props("scheduler.x.type", "orca")))
        .hasMessageStartingWith("scheduler.x.type: unknown scheduler type 'orca'");
    assertThatThrownBy(() -> BatchSchedulerRegistry.parseAll(props(
        "scheduler.x.type", "fcfs-chunked-prefill", "scheduler.x.budget", "1")))
        .hasMessage("scheduler.x.budget: scheduler type fcfs-chunked-prefill has no such parameter, it has"
            + " token-budget, max-num-seqs, shed-after-ttft-multiple");
    assertThatThrownBy(() -> BatchSchedulerRegistry.parseAll(props(
        "scheduler.x.type", "fcfs-chunked-prefill", "scheduler.x.token-budget", "0")))
        .hasMessageStartingWith("scheduler.x.token-budget must be in [1, 1048576]");
    assertThatThrownBy(() -> BatchSchedulerRegistry.parseAll(props(
        "scheduler.x.type", "lens", "scheduler.x.shed-after-ttft-multiple", "0.5")))
        .hasMessageStartingWith("scheduler.x.shed-after-ttft-multiple must be 0 or >= 1");
    assertThatThrownBy(() -> BatchSchedulerRegistry.parseAll(props("scheduler.x.extends", "y")))
        .hasMessageStartingWith("scheduler.x.extends: unknown profile 'y'");
  }

  @Test
  void shouldTurnLensTriageOffWhenTheProfileSaysSo() {
    SchedulerProfile patient = BatchSchedulerRegistry.parseAll(props("scheduler.patient.type", "lens",
        "scheduler.patient.shed-after-ttft-multiple", "0", "scheduler.patient.shed-hopeless", "false")).get("patient");
    BatchScheduler scheduler = LensSchedulerType.of(patient, ENGINE);

    assertThat(shedAfterWaiting(scheduler, 60_000)).isFalse();
  }

  /** Whether the scheduler sheds a request that has waited {@code waitedMs} without starting. */
  private static boolean shedAfterWaiting(BatchScheduler scheduler, double waitedMs) {
    OneWaitingRequest step = new OneWaitingRequest(waitedMs);
    scheduler.schedule(step);
    return step.shed;
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  /**
   * A step with one short waiting request that arrived {@code waitedMs} ago and no room to admit
   * it (no free KV blocks), so only the triage decides what happens to it.
   */
  private static final class OneWaitingRequest implements SchedulingContext {
    private final List<SchedulableRequest> waiting = new ArrayList<>();
    private final double now;
    boolean shed;

    OneWaitingRequest(double waitedMs) {
      this.now = 10_000 + waitedMs;
      waiting.add(new SchedulableRequest() {
        @Override public long requestId() { return 1; }
        @Override public double arrivalTimeMs() { return 10_000; }
        @Override public int promptTokens() { return 64; }
        @Override public int outputTokens() { return 8; }
        @Override public int generatedTokens() { return 0; }
        @Override public int computedTokens() { return 0; }
        @Override public int tokensToCompute() { return 64; }
        @Override public boolean isPrefilling() { return true; }
        @Override public double sloTtftMs() { return Double.NaN; }
        @Override public double sloTpotMs() { return Double.NaN; }
        @Override public int preemptions() { return 0; }
        @Override public double firstTokenTimeMs() { return Double.NaN; }
      });
    }

    @Override public double nowMs() { return now; }
    @Override public int runningCount() { return 0; }
    @Override public SchedulableRequest running(int index) { throw new IndexOutOfBoundsException(index); }
    @Override public int waitingCount() { return waiting.size(); }
    @Override public SchedulableRequest waiting(int index) { return waiting.get(index); }
    @Override public int blockSize() { return 16; }
    @Override public int freeBlocks() { return 0; }
    @Override public int totalBlocks() { return 7000; }
    @Override public boolean scheduleRunning(int index, int tokens) { return false; }
    @Override public boolean admitWaiting(int index, int tokens) { return false; }
    @Override public int preemptionsThisStep() { return 0; }

    @Override
    public boolean shedWaiting(int index) {
      waiting.remove(index);
      shed = true;
      return true;
    }
  }
}
