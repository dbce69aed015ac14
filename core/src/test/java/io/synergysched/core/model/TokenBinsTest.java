package io.synergysched.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBinsTest {

  @Test
  void shouldMapEveryTokenCountIntoTheBinWhoseEdgesContainItWhenCountsGrow() {
    int previous = 0;
    for (long tokens = 1; tokens <= 20_000; tokens++) {
      int bin = TokenBins.of(tokens);
      assertThat(bin).isBetween(previous, previous + 1).isLessThan(TokenBins.COUNT);
      assertThat(tokens).isLessThanOrEqualTo(TokenBins.upperEdge(bin));
      assertThat(tokens).isGreaterThan(TokenBins.upperEdge(bin - 1));
      previous = bin;
    }
    assertThat(TokenBins.of(8)).isEqualTo(TokenBins.of(1));
    assertThat(TokenBins.of(9)).isEqualTo(TokenBins.of(16));
    assertThat(TokenBins.of(Long.MAX_VALUE)).isEqualTo(TokenBins.COUNT - 1);
  }
}
