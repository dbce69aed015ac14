package io.synergysched.simulator.trace;

import java.util.Arrays;
import java.util.Locale;

/** The trace file formats the simulator reads. */
public enum TraceFormat {
  /** Azure LLM inference 2023: {@code TIMESTAMP,ContextTokens,GeneratedTokens}. */
  AZURE,
  /** Vidur processed: {@code arrived_at} (s), {@code num_prefill_tokens}, {@code num_decode_tokens}. */
  VIDUR,
  /** Mooncake JSONL: {@code timestamp} (ms), {@code input_length}, {@code output_length}, {@code hash_ids}. */
  MOONCAKE,
  /** arXiv summarization lengths, without times: arrivals are generated (Poisson or Gamma). */
  ARXIV,
  /** The generic CSV documented in docs/simulator.md. */
  CSV,
  /**
   * A {@code synergysched record} file holding {@code synergy.requests.inbound}: recorded traffic
   * replayed offline. Read by a {@link RecordingReader} that the launcher supplies.
   */
  RECORDING;

  public static TraceFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trace.format '" + name + "' is not one of "
          + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
    }
  }
}
