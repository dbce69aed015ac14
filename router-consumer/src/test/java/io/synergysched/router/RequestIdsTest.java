package io.synergysched.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void shouldGiveARequestIdTheSameNumberWhenItIsSeenAgain() {
    RequestIds ids = new RequestIds();

    assertThat(ids.of("r-a")).isEqualTo(1);
    assertThat(ids.of("r-b")).isEqualTo(2);
    assertThat(ids.of("r-a")).isEqualTo(1);
  }

  @Test
  void shouldForgetTheOldestIdFirstWhenMoreThanItsCapacityAreRemembered() {
    RequestIds ids = new RequestIds(2);
    ids.of("r-a");
    ids.of("r-b");
    ids.of("r-c"); // r-a is forgotten

    assertThat(ids.of("r-b")).isEqualTo(2);
    assertThat(ids.of("r-a")).as("a forgotten id gets a new number").isEqualTo(4);
  }
}
