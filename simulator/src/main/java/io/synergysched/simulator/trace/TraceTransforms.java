package io.synergysched.simulator.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Slicing, rate scaling and clipping of a trace; inputs are never modified. */
public final class TraceTransforms {

  private TraceTransforms() {}

  /**
   * Requests arriving in [startS, startS + windowS) seconds, re-based to start at 0.
   *
   * @param windowS window length, seconds; 0 or negative keeps everything after {@code startS}
   */
  public static List<TraceRequest> window(List<TraceRequest> trace, double startS, double windowS) {
    double from = startS * 1000;
    double to = windowS > 0 ? from + windowS * 1000 : Double.POSITIVE_INFINITY;
    List<TraceRequest> kept = new ArrayList<>();
    for (TraceRequest r : trace) {
      if (r.arrivalMs() >= from && r.arrivalMs() < to) {
        kept.add(r.withArrival(r.arrivalMs() - from));
      }
    }
    return kept;
  }

  /** Arrival rate times {@code scale}: every arrival time divided by it. */
  public static List<TraceRequest> scaleRate(List<TraceRequest> trace, double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("rate scale must be > 0, got " + scale);
    }
    List<TraceRequest> scaled = new ArrayList<>(trace.size());
    for (TraceRequest r : trace) {
      scaled.add(r.withArrival(r.arrivalMs() / scale));
    }
    return scaled;
  }

  /** A trace after clipping, and how many requests had to be clipped. */
  public record Clipped(List<TraceRequest> requests, int clippedCount) {}

  /**
   * Fits every request into {@code maxModelLen} tokens: the prompt is cut (keeping its start,
   * hence its prefix hashes) so that prompt + output fit; an output alone longer than the context
   * is cut to leave one prompt token.
   */
  public static Clipped clipToContext(List<TraceRequest> trace, int maxModelLen) {
    if (maxModelLen < 2) {
      throw new IllegalArgumentException("max_model_len must be >= 2, got " + maxModelLen);
    }
    List<TraceRequest> result = new ArrayList<>(trace.size());
    int clipped = 0;
    for (TraceRequest r : trace) {
      if (r.promptTokens() + r.outputTokens() <= maxModelLen) {
        result.add(r);
        continue;
      }
      clipped++;
      int output = Math.min(r.outputTokens(), maxModelLen - 1);
      int prompt = maxModelLen - output;
      int hashCount = Math.min(r.prefixHashes().length, (prompt + 511) / 512);
      result.add(r.withLengths(prompt, output, Arrays.copyOf(r.prefixHashes(), hashCount)));
    }
    return new Clipped(result, clipped);
  }
}
