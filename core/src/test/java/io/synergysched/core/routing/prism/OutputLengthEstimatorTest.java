package io.synergysched.core.routing.prism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputLengthEstimatorTest {

  @Test
  void shouldReturnTheInitialMeanWhenNothingFinished() {
    assertEquals(256, new OutputLengthEstimator(256, 1000, 20).expected(1000), 1e-9);
  }

  @Test
  void shouldLearnEachPromptBucketWhenRequestsFinish() {
    OutputLengthEstimator e = new OutputLengthEstimator(256, 1000, 20);
    for (int i = 0; i < 500; i++) {
      e.learn(100, 400);
      e.learn(5000, 20);
    }
    assertEquals(400, e.expected(110), 20);
    assertEquals(20, e.expected(5100), 20);
    assertTrue(e.expected(100_000) > 20 && e.expected(100_000) < 400, "an unseen bucket falls back to the global mean");
  }

  @Test
  void shouldExpectLongerRemainingThanMeanWhenLengthsVary() {
    OutputLengthEstimator e = new OutputLengthEstimator(256, 1000, 20);
    for (int i = 0; i < 500; i++) {
      e.learn(100, i % 10 == 0 ? 2000 : 10);
    }
    assertTrue(e.meanRemainingOfRunning() > e.globalMean(), "residual life " + e.meanRemainingOfRunning());
  }
}
