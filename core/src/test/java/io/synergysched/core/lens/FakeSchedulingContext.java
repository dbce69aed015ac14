package io.synergysched.core.lens;

import io.synergysched.core.scheduling.SchedulableRequest;
import io.synergysched.core.scheduling.SchedulingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine step for scheduler tests and benchmarks: in-memory queues, a block counter instead of
 * a paged cache, no preemption (admission fails when blocks run out), shedding supported. Records
 * what was scheduled; {@link #reset} restores the queues so one instance can be replayed.
 */
final class FakeSchedulingContext implements SchedulingContext {

  static final class Request implements SchedulableRequest {
    final long id;
    final double arrivalMs;
    final int prompt;
    final int output;
    int generated;
    int computed;
    double firstTokenMs = Double.NaN;

    Request(long id, double arrivalMs, int prompt, int output, int generated, int computed) {
      this.id = id;
      this.arrivalMs = arrivalMs;
      this.prompt = prompt;
      this.output = output;
      this.generated = generated;
      this.computed = computed;
    }

    static Request decoding(long id, double arrivalMs, int prompt, int generated) {
      return new Request(id, arrivalMs, prompt, 512, generated, prompt + generated - 1);
    }

    static Request waiting(long id, double arrivalMs, int prompt) {
      return new Request(id, arrivalMs, prompt, 128, 0, 0);
    }

    @Override public long requestId() { return id; }
    @Override public double arrivalTimeMs() { return arrivalMs; }
    @Override public int promptTokens() { return prompt; }
    @Override public int outputTokens() { return output; }
    @Override public int generatedTokens() { return generated; }
    @Override public int computedTokens() { return computed; }
    @Override public int tokensToCompute() { return prompt + generated - computed; }
    @Override public boolean isPrefilling() { return tokensToCompute() > 1 || computed < prompt; }
    @Override public double sloTtftMs() { return Double.NaN; }
    @Override public double sloTpotMs() { return Double.NaN; }
    @Override public int preemptions() { return 0; }
    @Override public double firstTokenTimeMs() { return firstTokenMs; }
  }

  double now;
  final List<Request> running = new ArrayList<>();
  final List<Request> waiting = new ArrayList<>();
  private final List<Request> initialRunning = new ArrayList<>();
  private final List<Request> initialWaiting = new ArrayList<>();
  final int totalBlocks;
  int freeBlocks;
  private final int initialFree;
  /** Tokens scheduled per request id this step, in scheduling order. */
  final List<long[]> scheduled = new ArrayList<>();
  final List<Long> shed = new ArrayList<>();
  /** False for benchmarks: actions succeed but change and record nothing, so every step is the same. */
  boolean mutate = true;

  FakeSchedulingContext(double now, List<Request> running, List<Request> waiting, int totalBlocks, int freeBlocks) {
    this.now = now;
    this.initialRunning.addAll(running);
    this.initialWaiting.addAll(waiting);
    this.totalBlocks = totalBlocks;
    this.initialFree = freeBlocks;
    reset();
  }

  void reset() {
    running.clear();
    running.addAll(initialRunning);
    waiting.clear();
    waiting.addAll(initialWaiting);
    freeBlocks = initialFree;
    scheduled.clear();
    shed.clear();
  }

  int prefillTokensScheduled() {
    int sum = 0;
    for (long[] s : scheduled) {
      Request r = find(s[0]);
      if (r == null || r.isPrefilling()) {
        sum += (int) s[1];
      }
    }
    return sum;
  }

  int decodesScheduled() {
    int n = 0;
    for (long[] s : scheduled) {
      Request r = find(s[0]);
      if (r != null && !r.isPrefilling()) {
        n++;
      }
    }
    return n;
  }

  long tokensFor(long id) {
    for (long[] s : scheduled) {
      if (s[0] == id) {
        return s[1];
      }
    }
    return 0;
  }

  private Request find(long id) {
    for (Request r : running) {
      if (r.id == id) {
        return r;
      }
    }
    return null;
  }

  @Override public double nowMs() { return now; }
  @Override public int runningCount() { return running.size(); }
  @Override public SchedulableRequest running(int index) { return running.get(index); }
  @Override public int waitingCount() { return waiting.size(); }
  @Override public SchedulableRequest waiting(int index) { return waiting.get(index); }
  @Override public int blockSize() { return 16; }
  @Override public int freeBlocks() { return freeBlocks; }
  @Override public int totalBlocks() { return totalBlocks; }
  @Override public int preemptionsThisStep() { return 0; }

  @Override
  public boolean scheduleRunning(int index, int tokens) {
    Request r = running.get(index);
    if (tokens < 1 || tokens > r.tokensToCompute()) {
      throw new IllegalArgumentException("bad token count " + tokens + " for " + r.id);
    }
    if (mutate) {
      scheduled.add(new long[] {r.id, tokens});
    }
    return true;
  }

  @Override
  public boolean admitWaiting(int index, int tokens) {
    Request r = waiting.get(index);
    if (tokens < 1 || tokens > r.tokensToCompute()) {
      throw new IllegalArgumentException("bad token count " + tokens + " for " + r.id);
    }
    int blocks = (tokens + 15) / 16;
    if (blocks > freeBlocks) {
      return false;
    }
    if (!mutate) {
      return true;
    }
    freeBlocks -= blocks;
    waiting.remove(index);
    running.add(r);
    scheduled.add(new long[] {r.id, tokens});
    return true;
  }

  @Override
  public boolean shedWaiting(int index) {
    if (!mutate) {
      return false;
    }
    shed.add(waiting.remove(index).id);
    return true;
  }
}
