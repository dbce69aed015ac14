package io.synergysched.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.synergysched.simulator.SharedDataLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceLoaderTest {

  private static final Path TRACES = SharedDataLocator.dataRoot().resolve("traces");

  @TempDir Path dir;

  @Test
  void shouldReadTheAzureConversationTraceWhenFormatIsAzure() {
    List<TraceRequest> trace = TraceLoader.load(
        TRACES.resolve("azure_llm_2023/AzureLLMInferenceTrace_conv.csv"), TraceFormat.AZURE, null);

    assertThat(trace).hasSize(19_366);
    assertThat(trace.get(0).arrivalMs()).isZero();
    assertThat(trace.get(trace.size() - 1).arrivalMs() / 1000).isCloseTo(3501.7, within(0.1));
    assertThat(trace.stream().mapToInt(TraceRequest::promptTokens).average().orElseThrow())
        .isCloseTo(1155, within(1.0));
  }

  @Test
  void shouldMatchAzureLengthsWhenReadingTheVidurReencoding() {
    List<TraceRequest> azure = TraceLoader.load(
        TRACES.resolve("azure_llm_2023/AzureLLMInferenceTrace_code.csv"), TraceFormat.AZURE, null);
    List<TraceRequest> vidur = TraceLoader.load(
        TRACES.resolve("vidur_processed/splitwise_code.csv"), TraceFormat.VIDUR, null);

    assertThat(vidur).hasSize(azure.size());
    assertThat(vidur).extracting(TraceRequest::promptTokens)
        .isEqualTo(azure.stream().map(TraceRequest::promptTokens).toList());
  }

  @Test
  void shouldSpreadRequestsOverTheirBucketWhenMooncakeTimestampsRepeat() {
    List<TraceRequest> trace = TraceLoader.load(
        TRACES.resolve("mooncake_fast25/conversation_trace.jsonl"), TraceFormat.MOONCAKE, null);

    assertThat(trace).hasSize(12_031);
    long distinct = trace.stream().mapToDouble(TraceRequest::arrivalMs).distinct().count();
    assertThat(distinct).isGreaterThan(12_000);
    assertThat(trace).allSatisfy(r ->
        assertThat(r.prefixHashes()).hasSize((r.promptTokens() + 511) / 512));
  }

  @Test
  void shouldGeneratePoissonArrivalsAtTheRequestedRateWhenFormatIsArxiv() {
    List<TraceRequest> trace = TraceLoader.load(
        TRACES.resolve("vidur_processed/arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv"),
        TraceFormat.ARXIV, new SyntheticArrivals("poisson", 4.0, 1.0, 3));

    double durationS = trace.get(trace.size() - 1).arrivalMs() / 1000;
    assertThat(trace).hasSize(28_257);
    assertThat(trace.size() / durationS).isCloseTo(4.0, within(0.1));
  }

  @Test
  void shouldGenerateBurstierGapsWhenGammaCvIsAboveOne() {
    double[] gaps = new double[20_000];
    new SyntheticArrivals("gamma", 2.0, 3.0, 5).generate(gaps);
    double[] diffs = new double[gaps.length - 1];
    for (int i = 1; i < gaps.length; i++) {
      diffs[i - 1] = gaps[i] - gaps[i - 1];
    }
    double mean = java.util.Arrays.stream(diffs).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(diffs).map(d -> (d - mean) * (d - mean)).average().orElseThrow());

    assertThat(mean).isCloseTo(500, within(25.0));
    assertThat(sd / mean).isCloseTo(3.0, within(0.3));
  }

  @Test
  void shouldReadOptionalColumnsWhenGenericCsvHasThem() throws IOException {
    Path file = dir.resolve("mine.csv");
    Files.writeString(file, "output_tokens,arrival_ms,prompt_tokens,slo_ttft_ms,prefix_hashes,session_id\n"
        + "10,250.5,1000,800,7 8,s1\n"
        + "5,0,20,,,\n");

    List<TraceRequest> trace = TraceLoader.load(file, TraceFormat.CSV, null);

    assertThat(trace).hasSize(2);
    assertThat(trace.get(0).promptTokens()).isEqualTo(20);
    assertThat(trace.get(0).sloTtftMs()).isNaN();
    TraceRequest second = trace.get(1);
    assertThat(second.arrivalMs()).isEqualTo(250.5);
    assertThat(second.sloTtftMs()).isEqualTo(800);
    assertThat(second.prefixHashes()).containsExactly(7, 8);
    assertThat(second.sessionId()).isEqualTo("s1");
  }

  @Test
  void shouldNameFileLineAndReasonWhenACsvLineIsMalformed() throws IOException {
    Path file = dir.resolve("broken.csv");
    Files.writeString(file, "arrival_ms,prompt_tokens,output_tokens\n0,10,5\n12,ten,5\n");

    assertThatThrownBy(() -> TraceLoader.load(file, TraceFormat.CSV, null))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 3")
        .hasMessageContaining("prompt_tokens 'ten' is not a positive integer");
  }

  @Test
  void shouldNameFileLineAndReasonWhenAMooncakeLineIsMalformed() throws IOException {
    Path file = dir.resolve("broken.jsonl");
    Files.writeString(file, "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 1, \"hash_ids\": [1]}\n"
        + "{\"timestamp\": 3000, \"input_length\": 5, \"hash_ids\": [1]}\n");

    assertThatThrownBy(() -> TraceLoader.load(file, TraceFormat.MOONCAKE, null))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(file + ": line 2: missing key 'output_length'");
  }

  @Test
  void shouldRejectAnUnknownColumnWhenGenericCsvHeaderHasATypo() throws IOException {
    Path file = dir.resolve("typo.csv");
    Files.writeString(file, "arrival_ms,prompt_tokens,output_tokns\n0,1,1\n");

    assertThatThrownBy(() -> TraceLoader.load(file, TraceFormat.CSV, null))
        .hasMessageContaining("line 1")
        .hasMessageContaining("unknown column 'output_tokns'");
  }

  @Test
  void shouldReportMismatchedFieldCountWithItsLineWhenAzureRowIsTruncated() throws IOException {
    Path file = dir.resolve("azure.csv");
    Files.writeString(file, "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396\n");

    assertThatThrownBy(() -> TraceLoader.load(file, TraceFormat.AZURE, null))
        .hasMessageContaining("line 3: expected 3 fields, found 2");
  }
}
