package io.synergysched.core.routing.prism;

/**
 * How far one engine's forecasts have been off, learnt from what the router saw later: an EWMA of
 * log(observed / predicted) for the queueing wait before the first token and for TPOT, each
 * clipped to a factor of 8 either way. The queueing wait is calibrated and the request's own
 * unloaded prefill is not, because the model predicts that part directly from the engine's steps.
 *
 * <p>It also keeps the uncalibrated parts of its latest forecast, which the router files with the
 * request it routes on that forecast, to score the forecast against the outcome. Single-threaded
 * (the router's); allocation-free.
 */
final class QueueingCalibration {

  private static final double LOG8 = Math.log(8);
  /** Keeps near-idle engines, whose waits are a few ms of noise, from dominating the wait bias. */
  private static final double WAIT_FLOOR_MS = 50;

  private final double weight;
  private double waitBias;
  private double tpotBias;
  private double lastOwnStepMs;
  private double lastRawWaitMs;
  private double lastRawTpotMs;

  /** @param weight EWMA weight of each observation, in [0, 1]; 0 keeps every forecast as predicted */
  QueueingCalibration(double weight) {
    this.weight = weight;
  }

  /**
   * The calibrated TTFT, ms, of a forecast of {@code ownStepMs} (this request's prefill on an idle
   * engine) plus {@code rawWaitMs} of queueing; remembers both as the latest forecast.
   */
  double ttftMs(double ownStepMs, double rawWaitMs) {
    lastOwnStepMs = ownStepMs;
    lastRawWaitMs = rawWaitMs;
    return ownStepMs + rawWaitMs * Math.exp(waitBias);
  }

  /** The calibrated TPOT, ms, of an uncalibrated forecast {@code rawTpotMs}; remembers it as the latest. */
  double tpotMs(double rawTpotMs) {
    lastRawTpotMs = rawTpotMs;
    return rawTpotMs * Math.exp(tpotBias);
  }

  /** Learns from one first token: the wait observed (ms, &gt;= 0) against the wait predicted (uncalibrated, ms, &gt;= 0). */
  void learnWait(double observedWaitMs, double predictedWaitMs) {
    double sample = Math.log((observedWaitMs + WAIT_FLOOR_MS) / (predictedWaitMs + WAIT_FLOOR_MS));
    double b = waitBias + weight * (sample - waitBias);
    waitBias = Math.max(-LOG8, Math.min(LOG8, b));
  }

  /** Learns from one finished decode: the mean TPOT observed against the one predicted (uncalibrated), both ms, &gt; 0. */
  void learnTpot(double observedTpotMs, double predictedTpotMs) {
    double sample = Math.log(observedTpotMs / predictedTpotMs);
    double b = tpotBias + weight * (sample - tpotBias);
    tpotBias = Math.max(-LOG8, Math.min(LOG8, b));
  }

  /** The factor the queueing wait is scaled by now, in [1/8, 8]. */
  double waitFactor() {
    return Math.exp(waitBias);
  }

  /** The factor TPOT is scaled by now, in [1/8, 8]. */
  double tpotFactor() {
    return Math.exp(tpotBias);
  }

  /** Own prefill of the latest forecast, ms; 0 before the first. */
  double lastOwnStepMs() {
    return lastOwnStepMs;
  }

  /** Uncalibrated queueing wait of the latest forecast, ms; 0 before the first. */
  double lastRawWaitMs() {
    return lastRawWaitMs;
  }

  /** Uncalibrated TPOT of the latest forecast, ms; 0 before the first. */
  double lastRawTpotMs() {
    return lastRawTpotMs;
  }
}
