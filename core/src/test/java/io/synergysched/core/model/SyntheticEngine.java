package io.synergysched.core.model;

import io.synergysched.core.telemetry.StepObservation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small continuous-batching engine for tests: Poisson arrivals with lognormal prompt and output
 * lengths, optional prefix-cache hits, FIFO chunked prefill under a token budget with decodes
 * first (vLLM/Sarathi style), and step times from {@link VidurShapedStepTime} with seeded lognormal
 * noise. Consecutive steps are therefore as correlated as a real engine's.
 */
final class SyntheticEngine {

  /** Load levels the accuracy tests use. */
  enum Load {
    LOW(2.0, 512),
    MEDIUM(8.0, 512),
    HIGH(15.0, 1024);

    final double arrivalsPerSecond;
    final int tokenBudget;

    Load(double arrivalsPerSecond, int tokenBudget) {
      this.arrivalsPerSecond = arrivalsPerSecond;
      this.tokenBudget = tokenBudget;
    }
  }

  private static final int MAX_SEQS = 256;
  private static final int BLOCK = 16;
  private static final int KV_BLOCKS = 40_000;

  private final String engineId;
  private final Random random;
  private final double arrivalsPerSecond;
  private final int tokenBudget;
  private final double noiseSigma;
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private final List<Request> running = new ArrayList<>();
  private double nowMs;
  private double nextArrivalMs;
  private long stepIndex;

  private final int[] chunks = new int[MAX_SEQS];
  private final int[] cached = new int[MAX_SEQS];
  private final int[] contexts = new int[MAX_SEQS];

  SyntheticEngine(String engineId, long seed, Load load, double noiseSigma) {
    this(engineId, seed, load.arrivalsPerSecond, load.tokenBudget, noiseSigma);
  }

  SyntheticEngine(String engineId, long seed, double arrivalsPerSecond, int tokenBudget, double noiseSigma) {
    this.engineId = engineId;
    this.random = new Random(seed);
    this.arrivalsPerSecond = arrivalsPerSecond;
    this.tokenBudget = tokenBudget;
    this.noiseSigma = noiseSigma;
    this.nextArrivalMs = exponentialMs();
  }

  private static final class Request {
    final int prompt;
    final int prefixHit;
    final int output;
    int prefilled;
    int generated;

    Request(int prompt, int prefixHit, int output) {
      this.prompt = prompt;
      this.prefixHit = prefixHit;
      this.output = output;
      this.prefilled = prefixHit;
    }
  }

  List<StepObservation> run(int steps) {
    List<StepObservation> out = new ArrayList<>(steps);
    while (out.size() < steps) {
      out.add(step());
    }
    return out;
  }

  StepObservation step() {
    admitArrivals();
    while (waiting.isEmpty() && running.isEmpty()) {
      nowMs = nextArrivalMs;
      admitArrivals();
    }
    int decodes = 0;
    long decodeContext = 0;
    List<Request> decoders = new ArrayList<>();
    for (Request r : running) {
      if (r.prefilled >= r.prompt && decodes < MAX_SEQS) {
        decoders.add(r);
        contexts[decodes++] = r.prompt + r.generated;
        decodeContext += r.prompt + r.generated;
      }
    }
    int left = Math.max(0, tokenBudget - decodes);
    int chunkCount = 0;
    long chunkTokens = 0;
    long squares = 0;
    long cachedSum = 0;
    long product = 0;
    List<Request> prefilling = new ArrayList<>();
    for (Request r : running) {
      if (r.prefilled < r.prompt && left > 0) {
        prefilling.add(r);
      }
    }
    while (!waiting.isEmpty() && running.size() < MAX_SEQS && left > 0) {
      Request r = waiting.poll();
      running.add(r);
      prefilling.add(r);
      left -= Math.min(left, r.prompt - r.prefilled);
    }
    left = Math.max(0, tokenBudget - decodes);
    for (Request r : prefilling) {
      if (left <= 0) {
        break;
      }
      int chunk = Math.min(left, r.prompt - r.prefilled);
      chunks[chunkCount] = chunk;
      cached[chunkCount] = r.prefilled;
      chunkCount++;
      chunkTokens += chunk;
      squares += (long) chunk * chunk;
      cachedSum += r.prefilled;
      product += (long) chunk * r.prefilled;
      left -= chunk;
      r.prefilled += chunk;
      if (r.prefilled >= r.prompt) {
        r.generated = 1;
      }
    }
    double truthMs = VidurShapedStepTime.stepMs(chunks, cached, chunkCount, contexts, decodes);
    double measuredMs = truthMs * Math.exp(noiseSigma * random.nextGaussian());
    long durationUs = Math.max(1, Math.round(measuredMs * 1000.0));
    long startMs = (long) nowMs;
    nowMs += measuredMs;
    for (Request r : decoders) {
      r.generated++;
    }
    running.removeIf(r -> r.prefilled >= r.prompt && r.generated >= r.output);
    long kvTokens = 0;
    for (Request r : running) {
      kvTokens += r.prefilled + r.generated;
    }
    int kvBlocks = (int) Math.min(KV_BLOCKS, (kvTokens + BLOCK - 1) / BLOCK);
    return new StepObservation(
        engineId, stepIndex++, startMs, durationUs, (int) chunkTokens, chunkCount, squares, cachedSum, product,
        decodes, decodeContext, kvBlocks, KV_BLOCKS, waiting.size(), running.size(), 0, tokenBudget);
  }

  private void admitArrivals() {
    while (nextArrivalMs <= nowMs) {
      int prompt = (int) Math.max(8, Math.min(8000, Math.round(Math.exp(6.0 + 0.9 * random.nextGaussian()))));
      int output = (int) Math.max(2, Math.min(1500, Math.round(Math.exp(4.6 + 0.8 * random.nextGaussian()))));
      int prefixHit = random.nextDouble() < 0.3 ? (prompt / 2 / BLOCK) * BLOCK : 0;
      waiting.add(new Request(prompt, prefixHit, output));
      nextArrivalMs += exponentialMs();
    }
  }

  private double exponentialMs() {
    return -Math.log(1.0 - random.nextDouble()) / arrivalsPerSecond * 1000.0;
  }
}
