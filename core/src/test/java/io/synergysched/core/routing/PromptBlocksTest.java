package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromptBlocksTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, prompt tokens, hashes, block tokens, partial last counts, block tokens expected
        arguments("whole hash blocks", 1024, new long[] {1, 2}, 512, true, new int[] {512, 512}),
        arguments("a partial last block counts for text", 1100, new long[] {1, 2, 3}, 512, true,
            new int[] {512, 512, 76}),
        arguments("not for a KV cache", 1100, new long[] {1, 2, 3}, 512, false, new int[] {512, 512}),
        arguments("KV blocks of 16: 32 per hash", 1040, new long[] {1, 2, 3}, 16, false, filled(65, 16)),
        arguments("a clipped prompt ignores the hashes past it", 600, new long[] {1, 2, 3, 4}, 512, true,
            new int[] {512, 88}),
        arguments("no hashes: keys of its own", 700, new long[0], 512, true, new int[] {512, 188}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldCutThePromptIntoBlocksWhenAsked(String name, int prompt, long[] hashes, int blockTokens,
      boolean partial, int[] expectedTokens) {
    PromptBlocks b = PromptBlocks.of(new RoutingRequest(7, 0, prompt, 1000, 100, null, hashes), blockTokens, partial);

    assertThat(b.count()).isEqualTo(expectedTokens.length);
    assertThat(Arrays.copyOf(b.tokens(), b.count())).containsExactly(expectedTokens);
    assertThat(Arrays.stream(b.keys(), 0, b.count()).distinct().count()).as("keys distinct").isEqualTo(b.count());
    assertThat(b.tokensIn(b.count())).isEqualTo(Arrays.stream(expectedTokens).sum());
  }

  @Test
  void shouldShareKeysExactlyWhereHashesAgreeWhenTwoPromptsMeet() {
    PromptBlocks a = PromptBlocks.of(new RoutingRequest(1, 0, 1024, 1000, 100, null, new long[] {1, 2}), 16, false);
    PromptBlocks b = PromptBlocks.of(new RoutingRequest(2, 0, 1024, 1000, 100, null, new long[] {1, 3}), 16, false);
    PromptBlocks none1 = PromptBlocks.of(new RoutingRequest(3, 0, 1024, 1000, 100, null, new long[0]), 16, false);
    PromptBlocks none2 = PromptBlocks.of(new RoutingRequest(4, 0, 1024, 1000, 100, null, new long[0]), 16, false);

    assertThat(Arrays.copyOf(a.keys(), 32)).containsExactly(Arrays.copyOf(b.keys(), 32));
    assertThat(Arrays.stream(a.keys(), 32, 64).filter(k -> Arrays.stream(b.keys()).anyMatch(x -> x == k))).isEmpty();
    assertThat(Arrays.stream(none1.keys()).filter(k -> Arrays.stream(none2.keys()).anyMatch(x -> x == k)))
        .as("prompts without hashes are distinct text").isEmpty();
  }

  @Test
  void shouldRefuseABlockSizeThatDoesNotDivideTheHashBlockWhenAsked() {
    RoutingRequest r = new RoutingRequest(1, 0, 1024, 1000, 100, null, new long[] {1});
    assertThatThrownBy(() -> PromptBlocks.of(r, 24, false)).hasMessageContaining("divide 512");
  }

  private static int[] filled(int n, int v) {
    int[] out = new int[n];
    Arrays.fill(out, v);
    return out;
  }
}
