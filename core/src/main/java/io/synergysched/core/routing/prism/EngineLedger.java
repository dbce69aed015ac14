package io.synergysched.core.routing.prism;

import java.util.ArrayDeque;

/**
 * The router's own account of one engine's work: what it sent there and what it has learnt has
 * finished. Pending work is prefill the router routed and has not yet seen start decoding (tokens
 * after the expected prefix hits, requests, KV blocks); decoding is the requests whose first token
 * it saw and whose end it has not. Beside them: EWMA rates of what was routed (window
 * {@code rateTauMs}), and the requests routed after the horizon (the end of the engine's last
 * visible step), which the telemetry cannot have counted yet.
 *
 * <p>Times are ms on the router's clock, rates per ms. Single-threaded (the router's). Reading it
 * allocates nothing; {@link #routed} allocates one small entry per request.
 */
final class EngineLedger {

  private final double rateTauMs;
  private long pendingTokens;
  private int pendingCount;
  private long pendingBlocks;
  private int decoding;
  private long decodingPrompt;
  private double prefillRate;
  private double requestRate;
  private double rateTime;
  private double horizonMs = Double.NEGATIVE_INFINITY;
  /** Requests routed after the horizon, oldest first: {arrival ms as double bits, prefill tokens}. */
  private final ArrayDeque<long[]> recent = new ArrayDeque<>();
  private long recentTokens;

  /** @param rateTauMs time constant of the routed-rate EWMAs, ms, &gt; 0 */
  EngineLedger(double rateTauMs) {
    this.rateTauMs = rateTauMs;
  }

  /** Counts a request routed here at {@code arrivalMs} with {@code prefillTokens} to compute and {@code blocks} of KV. */
  void routed(double arrivalMs, int prefillTokens, int blocks) {
    pendingTokens += prefillTokens;
    pendingCount++;
    pendingBlocks += blocks;
    recent.addLast(new long[] {Double.doubleToLongBits(arrivalMs), prefillTokens});
    recentTokens += prefillTokens;
    double decay = Math.exp(-Math.max(0, arrivalMs - rateTime) / rateTauMs);
    requestRate = requestRate * decay + 1 / rateTauMs;
    prefillRate = prefillRateAt(arrivalMs) + prefillTokens / rateTauMs;
    rateTime = arrivalMs;
  }

  /** Takes a pending request off (first token seen, rejected, or finished before either): the values {@link #routed} counted. */
  void leftPending(int prefillTokens, int blocks) {
    pendingTokens -= prefillTokens;
    pendingCount--;
    pendingBlocks -= blocks;
  }

  void startedDecoding(int promptTokens) {
    decoding++;
    decodingPrompt += promptTokens;
  }

  void stoppedDecoding(int promptTokens) {
    decoding--;
    decodingPrompt -= promptTokens;
  }

  /**
   * A step of the engine ending at {@code endMs} became visible: if it moves the horizon, the
   * requests routed up to then are no longer recent (the telemetry may reflect them).
   */
  void stepVisible(double endMs) {
    if (endMs > horizonMs) {
      horizonMs = endMs;
      while (!recent.isEmpty() && Double.longBitsToDouble(recent.peekFirst()[0]) <= endMs) {
        long[] e = recent.pollFirst();
        recentTokens -= e[1];
      }
    }
  }

  /**
   * Fluid replay since the horizon: the pending work known at the horizon, plus each request routed
   * after it at its arrival, drained at {@code tokensPerMs} until {@code nowMs}. Tokens, &gt;= 0
   * (as the pending tokens when no step was ever visible and nothing was routed).
   * O(requests routed since the horizon).
   */
  double backlogReplayedTo(double nowMs, double tokensPerMs) {
    long old = pendingTokens - recentTokens;
    double backlog = old;
    double t = horizonMs;
    for (long[] e : recent) {
      double te = Double.longBitsToDouble(e[0]);
      if (t > Double.NEGATIVE_INFINITY) {
        backlog = Math.max(0, backlog - (te - t) * tokensPerMs);
      }
      backlog += e[1];
      t = te;
    }
    if (t > Double.NEGATIVE_INFINITY) {
      backlog = Math.max(0, backlog - (nowMs - t) * tokensPerMs);
    }
    return backlog;
  }

  /**
   * Pending requests that have started decoding if only {@code backlog} of the pending tokens is
   * left: the pending count in proportion to the tokens done (fractional; 0 with nothing pending).
   */
  double pendingStartedWith(double backlog) {
    double inTotal = pendingTokens;
    return inTotal > 0 ? pendingCount * (inTotal - backlog) / inTotal : 0;
  }

  /** Prefill tokens routed per ms, decayed to {@code nowMs}. */
  double prefillRateAt(double nowMs) {
    return prefillRate * Math.exp(-Math.max(0, nowMs - rateTime) / rateTauMs);
  }

  /** Requests routed per ms, decayed to {@code nowMs}. */
  double requestRateAt(double nowMs) {
    return requestRate * Math.exp(-Math.max(0, nowMs - rateTime) / rateTauMs);
  }

  /** Requests routed here and not known to have finished. */
  int inFlight() {
    return pendingCount + decoding;
  }

  long pendingTokens() {
    return pendingTokens;
  }

  long pendingBlocks() {
    return pendingBlocks;
  }

  int decoding() {
    return decoding;
  }

  /** Mean prompt of the running decodes, tokens, or {@code whenNone} when none runs. */
  double meanDecodingPrompt(int whenNone) {
    return decoding > 0 ? (double) decodingPrompt / decoding : whenNone;
  }

  /** Prefill tokens routed after the horizon. */
  long recentTokens() {
    return recentTokens;
  }

  /** End of the engine's last visible step, ms; negative infinity before the first. */
  double horizonMs() {
    return horizonMs;
  }
}
