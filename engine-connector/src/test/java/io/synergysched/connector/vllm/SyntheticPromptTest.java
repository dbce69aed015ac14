package io.synergysched.connector.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.schemas.InferenceRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticPromptTest {

  private final SyntheticPrompt prompts = new SyntheticPrompt(1000, 30000);

  private static InferenceRequest request(String id, int tokens, List<Long> hashes) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setArrivalTimeMs(0)
        .setPromptTokens(tokens)
        .setMaxOutputTokens(10)
        .setPrefixBlockHashes(hashes)
        .setPrefixBlockSizeTokens(4)
        .build();
  }

  @Test
  void shouldGiveExactLengthAndSameIdsWhenAskedTwice() {
    InferenceRequest r = request("a", 37, List.of());

    int[] first = prompts.tokenIds(r);

    assertThat(first).hasSize(37).isEqualTo(prompts.tokenIds(r));
    assertThat(Arrays.stream(first).allMatch(id -> id >= 1000 && id < 30000)).isTrue();
    assertThat(prompts.text(r).split(" ")).hasSize(37);
  }

  @Test
  void shouldShareLeadingTokensWhenPrefixHashesMatch() {
    int[] a = prompts.tokenIds(request("a", 14, List.of(11L, 22L, 33L)));
    int[] b = prompts.tokenIds(request("b", 14, List.of(11L, 22L, 99L)));

    assertThat(Arrays.copyOf(a, 8)).isEqualTo(Arrays.copyOf(b, 8));
    assertThat(Arrays.copyOfRange(a, 8, 12)).isNotEqualTo(Arrays.copyOfRange(b, 8, 12));
  }

  @Test
  void shouldDifferWhenRequestsShareNoPrefix() {
    assertThat(prompts.tokenIds(request("a", 16, List.of())))
        .isNotEqualTo(prompts.tokenIds(request("b", 16, List.of())));
  }

  @Test
  void shouldUseOnlyWholeBlocksWhenPromptEndsInsideABlock() {
    int[] a = prompts.tokenIds(request("a", 6, List.of(11L, 22L)));
    int[] b = prompts.tokenIds(request("b", 6, List.of(11L, 23L)));

    assertThat(Arrays.copyOf(a, 4)).isEqualTo(Arrays.copyOf(b, 4));
    assertThat(a).hasSize(6);
  }
}
