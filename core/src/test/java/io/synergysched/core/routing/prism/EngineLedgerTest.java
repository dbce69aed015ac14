package io.synergysched.core.routing.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EngineLedgerTest {

  private static final double TAU_MS = 1000;

  @Test
  void shouldCountRoutedWorkAsPendingUntilItsFirstTokenMovesItToDecoding() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(0, 1000, 63);
    ledger.routed(10, 500, 32);

    assertThat(ledger.inFlight()).isEqualTo(2);
    assertThat(ledger.pendingTokens()).isEqualTo(1500);
    assertThat(ledger.pendingBlocks()).isEqualTo(95);

    ledger.leftPending(1000, 63);
    ledger.startedDecoding(1200);

    assertThat(ledger.inFlight()).isEqualTo(2);
    assertThat(ledger.pendingTokens()).isEqualTo(500);
    assertThat(ledger.pendingBlocks()).isEqualTo(32);
    assertThat(ledger.decoding()).isEqualTo(1);
    assertThat(ledger.meanDecodingPrompt(7)).isEqualTo(1200.0);
  }

  @Test
  void shouldForgetAFinishedDecodeWhenItStops() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(0, 100, 7);
    ledger.leftPending(100, 7);
    ledger.startedDecoding(100);
    ledger.startedDecoding(300);

    ledger.stoppedDecoding(100);

    assertThat(ledger.inFlight()).isEqualTo(1);
    assertThat(ledger.meanDecodingPrompt(7)).isEqualTo(300.0);
  }

  @Test
  void shouldTakeTheGivenPromptAsTheMeanWhenNothingDecodes() {
    EngineLedger ledger = new EngineLedger(TAU_MS);

    assertThat(ledger.meanDecodingPrompt(321)).isEqualTo(321.0);
  }

  @Test
  void shouldStopCountingRequestsAsRecentWhenAVisibleStepEndsAfterThem() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(100, 400, 26);
    ledger.routed(200, 600, 38);
    assertThat(ledger.recentTokens()).isEqualTo(1000);
    assertThat(ledger.horizonMs()).isEqualTo(Double.NEGATIVE_INFINITY);

    ledger.stepVisible(150);

    assertThat(ledger.horizonMs()).isEqualTo(150.0);
    assertThat(ledger.recentTokens()).isEqualTo(600);
    assertThat(ledger.pendingTokens()).isEqualTo(1000);
  }

  @Test
  void shouldKeepTheHorizonWhenAnOlderStepBecomesVisibleLate() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.stepVisible(150);
    ledger.routed(120, 400, 26);

    ledger.stepVisible(130);

    assertThat(ledger.horizonMs()).isEqualTo(150.0);
    assertThat(ledger.recentTokens()).isEqualTo(400);
  }

  @Test
  void shouldDrainTheBacklogKnownAtTheHorizonAndAddEachLaterRequestAtItsArrival() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(0, 1000, 63);
    ledger.stepVisible(10);
    ledger.routed(20, 500, 32);

    // 1000 at the horizon (10 ms), minus 2 tokens/ms for 10 ms, plus 500 at 20 ms, minus 2/ms for 20 ms.
    assertThat(ledger.backlogReplayedTo(40, 2.0)).isEqualTo(1000 - 20 + 500 - 40.0);
  }

  @Test
  void shouldDrainOnlyBetweenArrivalsWhenNoStepWasEverVisible() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(100, 400, 26);
    ledger.routed(200, 600, 38);

    assertThat(ledger.backlogReplayedTo(1000, 1.0)).isEqualTo(400 - 100 + 600 - 800.0);
  }

  @Test
  void shouldNotReplayTheBacklogBelowZeroWhenTheEngineHadTimeToSpare() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.stepVisible(0);
    ledger.routed(10, 100, 7);
    ledger.routed(500, 50, 4);

    assertThat(ledger.backlogReplayedTo(510, 1.0)).isEqualTo(40.0);
    assertThat(ledger.backlogReplayedTo(5000, 1.0)).isZero();
  }

  @Test
  void shouldCountPendingRequestsAsStartedInProportionToTheTokensDone() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(0, 1000, 63);
    ledger.routed(0, 500, 32);

    assertThat(ledger.pendingStartedWith(750)).isEqualTo(1.0);
    assertThat(ledger.pendingStartedWith(1500)).isZero();
    assertThat(new EngineLedger(TAU_MS).pendingStartedWith(0)).isZero();
  }

  @Test
  void shouldDecayTheRoutedRatesWithTheirWindowWhenNothingIsRouted() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(0, 1000, 63);

    assertThat(ledger.prefillRateAt(0)).isEqualTo(1.0);
    assertThat(ledger.requestRateAt(0)).isEqualTo(0.001);
    assertThat(ledger.prefillRateAt(1000)).isCloseTo(Math.exp(-1), within(1e-12));
    assertThat(ledger.requestRateAt(1000)).isCloseTo(0.001 * Math.exp(-1), within(1e-15));
    assertThat(ledger.prefillRateAt(-50)).as("no growth before the last routing").isEqualTo(1.0);
  }

  @Test
  void shouldAddEachRoutedRequestToTheDecayedRates() {
    EngineLedger ledger = new EngineLedger(TAU_MS);
    ledger.routed(0, 1000, 63);
    ledger.routed(1000, 500, 32);

    assertThat(ledger.prefillRateAt(1000)).isCloseTo(Math.exp(-1) + 0.5, within(1e-12));
    assertThat(ledger.requestRateAt(1000)).isCloseTo(0.001 * Math.exp(-1) + 0.001, within(1e-15));
  }
}
