package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApproximatePrefixTreeTest {

  /** 512-token prompts: A = 1,2,3,4 and B = 1,2,7 share their first two blocks. */
  private static final PromptBlocks A = blocks(0, 1, 2, 3, 4);
  private static final PromptBlocks B = blocks(1, 1, 2, 7);

  static Stream<Arguments> cases() {
    // Operations on engine 0 unless "@1": "A@t" touch A at t ms, "evict:N" cut engine 0 to N tokens,
    // "expire:t" forget blocks touched before t, "prune:N" keep N blocks over all engines.
    // Then the blocks of A and of B engine 0 matches, its tokens, and the blocks of all engines.
    return Stream.of(
        arguments("empty", "", 0, 0, 0, 0),
        arguments("A held: all of A, the shared half of B", "A@0", 4, 2, 2048, 4),
        arguments("A and B share their prefix blocks once", "A@0 B@1", 4, 3, 2560, 5),
        arguments("another engine's blocks are not engine 0's", "A@0@1", 0, 0, 0, 4),
        arguments("eviction takes the leaves of the oldest path first", "A@0 evict:1024", 2, 2, 1024, 2),
        arguments("a refreshed path outlives an older one: B's leaf stays", "A@0 B@1 evict:1536", 2, 3, 1536, 3),
        arguments("eviction to a size already met does nothing", "A@0 evict:4096", 4, 2, 2048, 4),
        arguments("expiry forgets what was not touched since", "A@0 B@5 expire:5", 2, 3, 1536, 3),
        arguments("expiry keeps what was touched at the cutoff", "A@0 B@5 expire:0", 4, 3, 2560, 5),
        arguments("pruning removes the oldest blocks of any engine", "A@0 A@5@1 prune:4", 0, 0, 0, 4),
        arguments("pruning stops at its target", "A@0 A@5@1 prune:6", 2, 2, 1024, 6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldMatchAndForgetLeavesFirstWhenOperated(String name, String ops, int matchedA, int matchedB,
      long tokens, long allBlocks) {
    ApproximatePrefixTree tree = new ApproximatePrefixTree();
    for (String op : ops.split(" ")) {
      if (op.isEmpty()) {
        continue;
      }
      String[] p = op.split("[:@]");
      switch (p[0]) {
        case "A", "B" -> {
          PromptBlocks prompt = p[0].equals("A") ? A : B;
          tree.touch(p.length > 2 ? Integer.parseInt(p[2]) : 0, prompt, prompt.count(), Double.parseDouble(p[1]));
        }
        case "evict" -> tree.evictToSize(0, Long.parseLong(p[1]));
        case "expire" -> tree.expireTouchedBefore(Double.parseDouble(p[1]));
        case "prune" -> tree.pruneToBlocks(Long.parseLong(p[1]));
        default -> throw new IllegalArgumentException(op);
      }
    }

    assertThat(tree.matchedBlocks(0, A)).isEqualTo(matchedA);
    assertThat(tree.matchedBlocks(0, B)).isEqualTo(matchedB);
    assertThat(tree.sizeTokens(0)).isEqualTo(tokens);
    assertThat(tree.blockCount()).isEqualTo(allBlocks);
  }

  private static PromptBlocks blocks(long id, long... hashes) {
    return PromptBlocks.of(new RoutingRequest(id, 0, 512 * hashes.length, 1000, 100, null, hashes), 512, true);
  }
}
