package io.synergysched.connector.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.StepTelemetry;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepApproximatorTest {

  private static final long T1 = 1_763_787_001_000L;
  private static final long T2 = T1 + 5_000;

  private final StepApproximator approximator = new StepApproximator("vllm-0", 0, 16);

  private static VllmMetricsSnapshot snapshot(String resource, long atMs) {
    return VllmMetricsSnapshot.from(
        PrometheusTextParser.parse(VllmFixtureServer.resource(resource)), atMs);
  }

  @Test
  void shouldApproximateMeanStepFromDeltasWhenPagesUseCurrentNames() {
    assertThat(approximator.next(snapshot("metrics-current-1.txt", T1))).isEmpty();

    StepTelemetry step = approximator.next(snapshot("metrics-current-2.txt", T2)).orElseThrow();

    // 100 steps in 5 s (50 ms each at most); mean inter-token gap 19.92 s / 996 = 20 ms.
    assertThat(step.getDurationUs()).isEqualTo(20_000);
    assertThat(step.getStepIndex()).isEqualTo(1099);
    assertThat(step.getStartTimeMs()).isEqualTo(T2 - 20);
    // (2400 prompt - 400 cached) / 100 steps; (1000 generated - 4 first tokens) / 100 steps
    assertThat(step.getPrefillTokens()).isEqualTo(20);
    assertThat(step.getPrefillChunks()).isEqualTo(1);
    assertThat(step.getPrefillChunkSqSum()).isEqualTo(400);
    assertThat(step.getPrefillCachedContext()).isEqualTo(4);
    assertThat(step.getDecodeSeqs()).isEqualTo(10);
    // KV: 0.5 of 1000 blocks of 16 tokens over 8 running requests = 1000 tokens each
    assertThat(step.getDecodeContextSum()).isEqualTo(10_000);
    assertThat(step.getKvBlocksTotal()).isEqualTo(1000);
    assertThat(step.getKvBlocksUsed()).isEqualTo(500);
    assertThat(step.getRunning()).isEqualTo(8);
    assertThat(step.getWaiting()).isEqualTo(2);
    assertThat(step.getPreemptions()).isEqualTo(3);
    assertThat(step.getTokenBudget()).isZero();
    assertThat(step.getLensHintVersion()).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"metrics-deprecated", "metrics-v09-both-names"})
  void shouldGiveTheSameStepWhenPagesUseDeprecatedNames(String prefix) {
    String first = prefix.equals("metrics-deprecated") ? "metrics-deprecated-1.txt"
        : "metrics-current-1.txt";
    VllmMetricsSnapshot before = snapshot(first, T1);
    VllmMetricsSnapshot after = snapshot(prefix + "-2.txt", T2);
    approximator.next(before);

    StepTelemetry step = approximator.next(after).orElseThrow();

    StepApproximator reference = new StepApproximator("vllm-0", 0, 16);
    reference.next(snapshot("metrics-current-1.txt", T1));
    assertThat(step).isEqualTo(reference.next(snapshot("metrics-current-2.txt", T2)).orElseThrow());
    assertThat(after.deprecatedNamesUsed()).isEqualTo(prefix.equals("metrics-deprecated"));
  }

  @Test
  void shouldIgnoreUnknownMetricsWhenPageCarriesThem() {
    MetricsPage page = PrometheusTextParser.parse(VllmFixtureServer.resource("metrics-unknown-2.txt"));
    assertThat(page.samples("vllm:some_future_metric").get(0).labels().get("flavour"))
        .isEqualTo("quoted \"odd\" \\ value\n");
    approximator.next(snapshot("metrics-current-1.txt", T1));

    Optional<StepTelemetry> step = approximator.next(VllmMetricsSnapshot.from(page, T2));

    StepApproximator reference = new StepApproximator("vllm-0", 0, 16);
    reference.next(snapshot("metrics-current-1.txt", T1));
    assertThat(step).isEqualTo(reference.next(snapshot("metrics-current-2.txt", T2)));
  }

  @Test
  void shouldSkipTheWindowAndKeepStepIndexRisingWhenServerRestarts() {
    approximator.next(snapshot("metrics-current-1.txt", T1));
    long beforeRestart = approximator.next(snapshot("metrics-current-2.txt", T2)).orElseThrow()
        .getStepIndex();

    Optional<StepTelemetry> acrossRestart =
        approximator.next(snapshot("metrics-restarted-1.txt", T2 + 5_000));
    StepTelemetry afterRestart =
        approximator.next(snapshot("metrics-restarted-2.txt", T2 + 10_000)).orElseThrow();

    assertThat(acrossRestart).isEmpty();
    assertThat(approximator.restarts()).isEqualTo(1);
    // 1100 steps before the restart, 150 after: the last step of the window is 1249.
    assertThat(afterRestart.getStepIndex()).isEqualTo(1249).isGreaterThan(beforeRestart);
    // 100 steps: (2000 prompt - 0 cached) / 100 = 20; (1000 - 2 first tokens) / 100 -> 10
    assertThat(afterRestart.getPrefillTokens()).isEqualTo(20);
    assertThat(afterRestart.getDecodeSeqs()).isEqualTo(10);
  }

  @Test
  void shouldDetectRestartFromCountersAloneWhenProcessStartTimeIsAbsent() {
    String restarted = VllmFixtureServer.resource("metrics-restarted-1.txt")
        .replaceAll("(?m)^process_start_time_seconds .*$", "");
    approximator.next(snapshot("metrics-current-2.txt", T1));

    Optional<StepTelemetry> step =
        approximator.next(VllmMetricsSnapshot.from(PrometheusTextParser.parse(restarted), T2));

    assertThat(step).isEmpty();
    assertThat(approximator.restarts()).isEqualTo(1);
  }

  @Test
  void shouldAddUpEnginesWhenServerRunsDataParallel() {
    String page = String.join("\n",
        "vllm:num_requests_running{engine=\"0\",model_name=\"m\"} 3",
        "vllm:num_requests_running{engine=\"1\",model_name=\"m\"} 5",
        "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.2",
        "vllm:kv_cache_usage_perc{engine=\"1\",model_name=\"m\"} 0.4",
        "vllm:cache_config_info{block_size=\"16\",engine=\"0\",num_gpu_blocks=\"1000\"} 1.0",
        "vllm:cache_config_info{block_size=\"16\",engine=\"1\",num_gpu_blocks=\"1000\"} 1.0",
        "");

    VllmMetricsSnapshot s = VllmMetricsSnapshot.from(PrometheusTextParser.parse(page), T1);

    assertThat(s.running()).isEqualTo(8.0);
    assertThat(s.kvCacheUsage()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.kvBlocksTotal()).isEqualTo(2000);
    assertThat(s.blockSizeTokens()).isEqualTo(16);
    assertThat(s.iterationCount()).isNaN();
  }

  private static VllmMetricsSnapshot prefillOnly(
      long atMs, int steps, int prompt, int generated, int firstTokens, double prefillSeconds) {
    String page = String.join("\n",
        "vllm:iteration_tokens_total_count " + steps,
        "vllm:iteration_tokens_total_sum " + (prompt + generated),
        "vllm:prompt_tokens_total " + prompt,
        "vllm:generation_tokens_total " + generated,
        "vllm:time_to_first_token_seconds_count " + firstTokens,
        "vllm:time_to_first_token_seconds_sum 1.0",
        "vllm:request_prefill_time_seconds_count " + firstTokens,
        "vllm:request_prefill_time_seconds_sum " + prefillSeconds,
        "");
    return VllmMetricsSnapshot.from(PrometheusTextParser.parse(page), atMs);
  }

  @Test
  void shouldBoundStepByPrefillTimeWhenWindowHadNoDecodes() {
    approximator.next(prefillOnly(T1, 100, 1000, 10, 10, 1.0));

    // 10 steps in 60 s, but the two prefills that finished took 0.5 s in all: 50 ms a step.
    StepTelemetry step =
        approximator.next(prefillOnly(T1 + 60_000, 110, 3000, 12, 12, 1.5)).orElseThrow();

    assertThat(step.getDurationUs()).isEqualTo(50_000);
    assertThat(step.getPrefillTokens()).isEqualTo(200);
    assertThat(step.getDecodeSeqs()).isZero();
    assertThat(step.getDecodeContextSum()).isZero();
  }

  @Test
  void shouldReportNothingWhenTheMeanStepWouldExceedTenMinutes() {
    approximator.next(prefillOnly(T1, 100, 1000, 10, 10, 1.0));

    assertThat(approximator.next(prefillOnly(T1 + 700_000, 101, 1100, 11, 11, 1.0))).isEmpty();
    // The next window starts from the skipped page.
    assertThat(approximator.next(prefillOnly(T1 + 710_000, 111, 3100, 13, 13, 1.5))).isPresent();
  }

  @Test
  void shouldReportNothingWhenNoStepRanBetweenScrapes() {
    approximator.next(snapshot("metrics-current-2.txt", T1));

    assertThat(approximator.next(snapshot("metrics-current-2.txt", T2))).isEmpty();
    assertThat(approximator.windows()).isZero();
  }
}
