package io.synergysched.core.lens;

import io.synergysched.core.model.predict.EnginePerformancePredictor;

/**
 * Chooses how many prefill tokens this step takes by looking at this step and the next: a
 * discrete search over candidate splits (every point where a queued prefill would complete, the
 * full budget, the preferred efficient chunk, half the budget, the largest split that keeps the
 * TPOT cap), each scored by predicting both steps with the engine's model. The score is first the
 * number of TTFT deadlines missed among the prefills in the window, then the sum of their
 * predicted completion times (work left after the window finishes at the full-step rate) plus,
 * for every request queued behind the window, the time the window's work is cleared, then the
 * smaller split. A short queue thus gets small steps that end where a prefill completes, a long
 * one gets full steps (each step pays the decodes' cost again, so small steps lose throughput). A greedy fill always takes the full budget; this search ends a step where a
 * request completes when that costs nobody a deadline, and takes less than the budget when a
 * bigger step would only delay everyone.
 *
 * <p>Inputs are parallel arrays in service order; allocation-free; single-threaded.
 */
final class SlidingWindowChunker {

  private final int[] candidates;
  private final int[] firstChunk;

  /** @param maxWindow most prefills scored, &gt; 0 */
  SlidingWindowChunker(int maxWindow) {
    this.candidates = new int[maxWindow + 8];
    this.firstChunk = new int[maxWindow];
  }

  /**
   * @param predictor step model
   * @param nowMs start of this step, ms
   * @param decodes decodes in both steps (those finishing prefill in this step join the next)
   * @param decodeContext their summed context, tokens
   * @param prefillMax prefill tokens one step may take under the hint, &gt; 0
   * @param capUs step latency cap protecting TPOT, microseconds (ignored when no decodes run)
   * @param fullStepUs predicted step at {@code prefillMax}, microseconds, for work past the window
   * @param preferredChunk the hint's efficient chunk, tokens
   * @param m prefills in the window
   * @param remaining tokens each still has to prefill, &gt;= 1
   * @param cached tokens already in the KV cache behind each one's next chunk
   * @param deadlineMs each one's TTFT deadline, ms
   * @param counts whether each one's deadline is still worth keeping (false for deferred ones)
   * @param behind prefills queued behind the window that can still meet their TTFT; each waits
   *     for the window's work, so a split that clears the window later costs each of them
   * @return prefill tokens for this step, in [0, prefillMax]
   */
  int choose(EnginePerformancePredictor predictor, double nowMs, int decodes, long decodeContext,
      int prefillMax, double capUs, double fullStepUs, int preferredChunk, int m, int[] remaining,
      int[] cached, double[] deadlineMs, boolean[] counts, int behind) {
    int n = 0;
    candidates[n++] = prefillMax;
    if (preferredChunk < prefillMax) {
      candidates[n++] = preferredChunk;
    }
    if (prefillMax > 1) {
      candidates[n++] = prefillMax / 2;
    }
    long sum = 0;
    for (int i = 0; i < m; i++) {
      sum += remaining[i];
      if (sum >= prefillMax) {
        break;
      }
      candidates[n++] = (int) sum;
    }
    if (decodes > 0) {
      int fit = prefillMax;
      while (fit > 0 && stepUs(predictor, fit, decodes, decodeContext, m, remaining, cached) > capUs) {
        fit = fit * 3 / 4;
      }
      candidates[n++] = fit;
    }
    int bestX = 0;
    int bestMisses = Integer.MAX_VALUE;
    double bestScore = Double.POSITIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      int x = candidates[k];
      if (x <= 0) {
        continue;
      }
      double s1 = stepUs(predictor, x, decodes, decodeContext, m, remaining, cached);
      if (decodes > 0 && s1 > capUs) {
        continue;
      }
      // Step 2: the rest of the window at the full budget, with this step's finishers decoding.
      int left = prefillMax;
      int joined = 0;
      long joinedContext = 0;
      double tokens = 0;
      double chunks = 0;
      double squares = 0;
      double cachedSum = 0;
      double product = 0;
      int take1 = x;
      for (int i = 0; i < m; i++) {
        int c1 = Math.min(remaining[i], take1);
        take1 -= c1;
        firstChunk[i] = c1;
        if (c1 == remaining[i]) {
          joined++;
          joinedContext += cached[i] + c1 + 1;
          continue;
        }
        if (left > 0) {
          int c2 = Math.min(remaining[i] - c1, left);
          left -= c2;
          long before = cached[i] + c1;
          tokens += c2;
          chunks++;
          squares += (double) c2 * c2;
          cachedSum += before;
          product += (double) c2 * before;
        }
      }
      double s2 = predictor.predictStepUs(tokens, chunks, squares, cachedSum, product, decodes + joined,
          decodeContext + decodes + joinedContext);
      double t1 = nowMs + s1 / 1000.0;
      double t2 = t1 + s2 / 1000.0;
      int misses = 0;
      double score = 0;
      int take2 = prefillMax;
      long backlog = 0;
      double last = t1;
      for (int i = 0; i < m; i++) {
        double done;
        int after1 = remaining[i] - firstChunk[i];
        if (after1 == 0) {
          done = t1;
        } else {
          int c2 = Math.min(after1, take2);
          take2 -= c2;
          if (c2 == after1) {
            done = t2;
          } else {
            backlog += after1 - c2;
            done = t2 + Math.ceil((double) backlog / prefillMax) * fullStepUs / 1000.0;
          }
        }
        score += done;
        last = Math.max(last, done);
        if (counts[i] && done > deadlineMs[i]) {
          misses++;
        }
      }
      score += behind * last;
      if (misses < bestMisses || (misses == bestMisses && (score < bestScore - 1e-9
          || (Math.abs(score - bestScore) <= 1e-9 && x < bestX)))) {
        bestMisses = misses;
        bestScore = score;
        bestX = x;
      }
    }
    return bestX;
  }

  /** Predicted step with {@code x} prefill tokens filled in service order over the window. */
  private static double stepUs(EnginePerformancePredictor predictor, int x, int decodes, long decodeContext,
      int m, int[] remaining, int[] cached) {
    double tokens = 0;
    double chunks = 0;
    double squares = 0;
    double cachedSum = 0;
    double product = 0;
    int left = x;
    for (int i = 0; i < m && left > 0; i++) {
      int c = Math.min(remaining[i], left);
      left -= c;
      tokens += c;
      chunks++;
      squares += (double) c * c;
      cachedSum += cached[i];
      product += (double) c * cached[i];
    }
    if (left > 0) {
      // Past the window the split is unknown: charge the rest as one chunk with no context.
      tokens += left;
      chunks++;
      squares += (double) left * left;
    }
    return predictor.predictStepUs(tokens, chunks, squares, cachedSum, product, decodes, decodeContext);
  }
}
