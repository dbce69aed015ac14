package io.synergysched.simulator.engine;

import io.synergysched.core.scheduling.BatchScheduler;
import io.synergysched.core.scheduling.SchedulableRequest;
import io.synergysched.core.scheduling.SchedulingContext;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.profile.BatchComposition;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A vLLM v1 continuous-batching engine on a virtual clock: waiting and running queues, a paged
 * KV cache, chunked prefill under the scheduler's budget, preemption by recompute, optional
 * prefix caching; each step lasts the time composed from the measured profiles (times optional
 * lognormal noise).
 *
 * <p>Driving it: {@link #submit} requests as they arrive; while {@link #stepEndMs()} is finite a
 * step is running, and {@link #finishStep()} completes it at that time and starts the next one.
 * Arrivals during a step join the next step, as in vLLM. Single-threaded; allocates nothing per
 * step unless a listener is attached.
 */
public final class SimulatedEngine {

  private final EngineConfig config;
  private final ProfiledStepLatency latency;
  private final BatchScheduler scheduler;
  private final KvBlockPool pool;
  private final int blockSize;
  private final int maxModelLen;
  private final SplittableRandom noise;
  private final Context context = new Context();
  private final BatchComposition batch = new BatchComposition();
  private EngineListener listener;

  private SimRequest[] running = new SimRequest[64];
  private int runningCount;
  private SimRequest[] waiting = new SimRequest[64];
  private int waitingHead;
  private int waitingCount;
  private SimRequest[] scheduled = new SimRequest[64];
  private int scheduledCount;

  private double stepStartMs;
  private double stepEndMs = Double.POSITIVE_INFINITY;
  private long stepIndex;
  private int stepPreemptions;
  private long totalPreemptions;
  private long generatedTokens;
  private double busyMs;

  public SimulatedEngine(EngineConfig config, ProfiledStepLatency latency, BatchScheduler scheduler) {
    this.config = config.validate();
    this.latency = latency;
    this.scheduler = scheduler;
    this.blockSize = config.blockSize();
    this.maxModelLen = config.maxModelLen() > 0
        ? config.maxModelLen() : latency.model().maxPositionEmbeddings();
    this.pool = new KvBlockPool(
        config.kvBlocks(latency.model(), latency.device(), latency.spec().tensorParallel()),
        config.prefixCaching());
    this.noise = new SplittableRandom(config.seed());
  }

  public void setListener(EngineListener listener) {
    this.listener = listener;
  }

  public String engineId() {
    return config.engineId();
  }

  public ProfiledStepLatency latency() {
    return latency;
  }

  public BatchScheduler scheduler() {
    return scheduler;
  }

  public int maxModelLen() {
    return maxModelLen;
  }

  /**
   * Queues a request arriving at {@code nowMs}; an idle engine starts a step right away. A
   * request that can never fit (longer than the model's context or the whole KV cache) is
   * rejected.
   */
  public void submit(SimRequest request, double nowMs) {
    if (request.state != SimRequest.State.NEW) {
      throw new IllegalStateException("request " + request.requestId() + " was already submitted");
    }
    int total = request.promptTokens() + request.outputTokens();
    if (total > maxModelLen || blocksFor(total) > pool.capacity()) {
      request.state = SimRequest.State.REJECTED;
      emit(request, RequestPhase.REJECTED, nowMs);
      return;
    }
    request.state = SimRequest.State.WAITING;
    pushWaitingLast(request);
    emit(request, RequestPhase.QUEUED, nowMs);
    if (!isBusy()) {
      startStep(nowMs);
    }
  }

  /** End of the running step, ms; +infinity while idle. */
  public double stepEndMs() {
    return stepEndMs;
  }

  public boolean isBusy() {
    return stepEndMs != Double.POSITIVE_INFINITY;
  }

  /** Completes the running step at {@link #stepEndMs()} and starts the next one if any. */
  public void finishStep() {
    if (!isBusy()) {
      throw new IllegalStateException("no step is running");
    }
    double endMs = stepEndMs;
    for (int i = 0; i < scheduledCount; i++) {
      SimRequest r = scheduled[i];
      r.computed += r.scheduledTokens;
      r.scheduledTokens = 0;
      scheduled[i] = null;
      if (r.computed == r.sequenceLength()) {
        r.generated++;
        generatedTokens++;
        if (r.generated == 1) {
          r.firstTokenTimeMs = endMs;
          emit(r, RequestPhase.FIRST_TOKEN, endMs);
        }
        if (r.generated == r.outputTokens()) {
          r.finishTimeMs = endMs;
          r.state = SimRequest.State.FINISHED;
          releaseBlocks(r);
          emit(r, RequestPhase.FINISHED, endMs);
        }
      }
    }
    scheduledCount = 0;
    int kept = 0;
    for (int i = 0; i < runningCount; i++) {
      SimRequest r = running[i];
      if (r.state == SimRequest.State.RUNNING) {
        running[kept++] = r;
      }
    }
    Arrays.fill(running, kept, runningCount, null);
    runningCount = kept;
    busyMs += endMs - stepStartMs;
    if (listener != null || scheduler.wantsStepFeedback()) {
      StepObservation observation = new StepObservation(
          config.engineId(), stepIndex, (long) Math.floor(stepStartMs),
          Math.max(1L, Math.round((endMs - stepStartMs) * 1000)), batch.prefillTokens(),
          batch.prefillChunks(), batch.chunkSqSum(), batch.cachedContextSum(),
          batch.chunkContextProduct(), batch.decodes(), batch.decodeContextSum(), pool.usedBlocks(),
          pool.capacity(), waitingCount, runningCount, stepPreemptions, scheduler.tokenBudget());
      if (scheduler.wantsStepFeedback()) {
        scheduler.onStepCompleted(observation);
      }
      if (listener != null) {
        listener.onStep(observation);
      }
    }
    stepIndex++;
    startStep(endMs);
  }

  private void startStep(double nowMs) {
    stepStartMs = nowMs;
    stepPreemptions = 0;
    batch.clear();
    context.nowMs = nowMs;
    scheduler.schedule(context);
    for (int i = 0; i < scheduledCount; i++) {
      SimRequest r = scheduled[i];
      if (r.scheduledTokens == 1 && r.computed >= r.promptTokens()) {
        batch.addDecode(r.computed + 1);
      } else {
        batch.addPrefillChunk(r.scheduledTokens, r.computed);
      }
    }
    if (batch.isEmpty()) {
      stepEndMs = Double.POSITIVE_INFINITY;
      return;
    }
    double ms = latency.stepMs(batch);
    if (config.noiseSigma() > 0) {
      double sigma = config.noiseSigma();
      ms *= Math.exp(sigma * noise.nextGaussian() - 0.5 * sigma * sigma);
    }
    stepEndMs = nowMs + ms;
  }

  private int blocksFor(int tokens) {
    return (tokens + blockSize - 1) / blockSize;
  }

  /** Grows {@code r}'s block table to hold {@code tokens} tokens; the caller checked the room. */
  private void allocateUpTo(SimRequest r, int tokens) {
    int needed = blocksFor(tokens);
    r.ensureBlockCapacity(needed);
    while (r.blockCount < needed) {
      r.blocks[r.blockCount++] = pool.allocate();
    }
    if (pool.prefixCaching()) {
      int full = Math.min(tokens, r.promptTokens()) / blockSize;
      for (int b = r.registeredBlocks; b < full; b++) {
        long key = r.blockKey(b, blockSize);
        if (key == Long.MIN_VALUE) {
          break;
        }
        pool.register(r.blocks[b], key);
        r.registeredBlocks = b + 1;
      }
    }
  }

  /** Freed tail first, so a request's last blocks are evicted before its shared prefix. */
  private void releaseBlocks(SimRequest r) {
    for (int i = r.blockCount - 1; i >= 0; i--) {
      pool.release(r.blocks[i]);
    }
    r.blockCount = 0;
  }

  /** Prefix-cache hit for a waiting request, tokens; never the whole sequence (one is recomputed). */
  private int prefixHitTokens(SimRequest r) {
    if (!pool.prefixCaching() || r.prefixHashes().length == 0) {
      return 0;
    }
    int maxBlocks = (r.sequenceLength() - 1) / blockSize;
    int hits = 0;
    while (hits < maxBlocks) {
      long key = r.blockKey(hits, blockSize);
      if (key == Long.MIN_VALUE || pool.lookup(key) < 0) {
        break;
      }
      hits++;
    }
    return hits * blockSize;
  }

  private void preempt(SimRequest victim) {
    releaseBlocks(victim);
    victim.computed = 0;
    victim.cachedTokens = 0;
    victim.registeredBlocks = 0;
    victim.preemptions++;
    victim.state = SimRequest.State.WAITING;
    if (victim.scheduledTokens > 0) {
      victim.scheduledTokens = 0;
      int j = 0;
      for (int i = 0; i < scheduledCount; i++) {
        if (scheduled[i] != victim) {
          scheduled[j++] = scheduled[i];
        }
      }
      scheduled[--scheduledCount] = null;
    }
    pushWaitingFirst(victim);
    stepPreemptions++;
    totalPreemptions++;
    emit(victim, RequestPhase.PREEMPTED, stepStartMs);
  }

  private void addScheduled(SimRequest r, int tokens) {
    if (scheduledCount == scheduled.length) {
      scheduled = Arrays.copyOf(scheduled, scheduledCount * 2);
    }
    scheduled[scheduledCount++] = r;
    r.scheduledTokens = tokens;
  }

  private void pushWaitingLast(SimRequest r) {
    growWaiting();
    waiting[(waitingHead + waitingCount) % waiting.length] = r;
    waitingCount++;
  }

  private void pushWaitingFirst(SimRequest r) {
    growWaiting();
    waitingHead = (waitingHead - 1 + waiting.length) % waiting.length;
    waiting[waitingHead] = r;
    waitingCount++;
  }

  private SimRequest waitingAt(int index) {
    return waiting[(waitingHead + index) % waiting.length];
  }

  private void removeWaiting(int index) {
    if (index == 0) {
      waiting[waitingHead] = null;
      waitingHead = (waitingHead + 1) % waiting.length;
    } else {
      for (int i = index; i < waitingCount - 1; i++) {
        waiting[(waitingHead + i) % waiting.length] = waiting[(waitingHead + i + 1) % waiting.length];
      }
      waiting[(waitingHead + waitingCount - 1) % waiting.length] = null;
    }
    waitingCount--;
  }

  private void growWaiting() {
    if (waitingCount == waiting.length) {
      SimRequest[] grown = new SimRequest[waiting.length * 2];
      for (int i = 0; i < waitingCount; i++) {
        grown[i] = waitingAt(i);
      }
      waiting = grown;
      waitingHead = 0;
    }
  }

  private void emit(SimRequest r, RequestPhase type, double timeMs) {
    if (listener != null) {
      listener.onRequestEvent(new RequestObservation(config.engineId(), r.requestId(), type, timeMs,
          r.promptTokens(), r.generated, r.cachedTokens));
    }
  }

  public int waitingCount() {
    return waitingCount;
  }

  public int runningCount() {
    return runningCount;
  }

  public int kvBlocksUsed() {
    return pool.usedBlocks();
  }

  public int kvBlocksTotal() {
    return pool.capacity();
  }

  public long stepsCompleted() {
    return stepIndex;
  }

  public long preemptions() {
    return totalPreemptions;
  }

  public long generatedTokens() {
    return generatedTokens;
  }

  /** Running request {@code index} ({@code 0 <= index < runningCount()}), to inspect only. */
  public SimRequest runningRequest(int index) {
    if (index >= runningCount) {
      throw new IndexOutOfBoundsException(index);
    }
    return running[index];
  }

  /** Waiting request {@code index} in service order ({@code < waitingCount()}), to inspect only. */
  public SimRequest waitingRequest(int index) {
    if (index >= waitingCount) {
      throw new IndexOutOfBoundsException(index);
    }
    return waitingAt(index);
  }

  /** Virtual time spent running steps, ms. */
  public double busyMs() {
    return busyMs;
  }

  /** The scheduler's window onto this engine; one instance, reused every step. */
  private final class Context implements SchedulingContext {

    double nowMs;

    @Override
    public double nowMs() {
      return nowMs;
    }

    @Override
    public int runningCount() {
      return runningCount;
    }

    @Override
    public SchedulableRequest running(int index) {
      if (index >= runningCount) {
        throw new IndexOutOfBoundsException(index);
      }
      return running[index];
    }

    @Override
    public int waitingCount() {
      return waitingCount;
    }

    @Override
    public SchedulableRequest waiting(int index) {
      if (index >= waitingCount) {
        throw new IndexOutOfBoundsException(index);
      }
      SimRequest r = waitingAt(index);
      r.pendingHitTokens = prefixHitTokens(r);
      return r;
    }

    @Override
    public int blockSize() {
      return blockSize;
    }

    @Override
    public int freeBlocks() {
      return pool.freeBlocks();
    }

    @Override
    public int totalBlocks() {
      return pool.capacity();
    }

    @Override
    public boolean scheduleRunning(int index, int tokens) {
      SimRequest r = running[index];
      if (tokens < 1 || tokens > r.tokensToCompute() || r.scheduledTokens > 0) {
        throw new IllegalArgumentException("cannot schedule " + tokens + " tokens for request "
            + r.requestId() + " (needs " + r.tokensToCompute() + ")");
      }
      int needed = blocksFor(r.computed + tokens) - r.blockCount;
      while (needed > pool.freeBlocks()) {
        SimRequest victim = running[--runningCount];
        running[runningCount] = null;
        preempt(victim);
        if (victim == r) {
          return false;
        }
      }
      allocateUpTo(r, r.computed + tokens);
      addScheduled(r, tokens);
      return true;
    }

    @Override
    public boolean admitWaiting(int index, int tokens) {
      SimRequest r = waitingAt(index);
      int hit = prefixHitTokens(r);
      if (tokens < 1 || tokens > r.sequenceLength() - hit) {
        throw new IllegalArgumentException("cannot admit request " + r.requestId() + " with "
            + tokens + " tokens (needs " + (r.sequenceLength() - hit) + ")");
      }
      int hitBlocks = hit / blockSize;
      int hitBlocksFree = 0;
      for (int b = 0; b < hitBlocks; b++) {
        if (pool.isFree(pool.lookup(r.blockKey(b, blockSize)))) {
          hitBlocksFree++;
        }
      }
      int newBlocks = blocksFor(hit + tokens) - hitBlocks;
      if (newBlocks > pool.freeBlocks() - hitBlocksFree) {
        return false;
      }
      removeWaiting(index);
      r.ensureBlockCapacity(blocksFor(r.sequenceLength() + 1));
      for (int b = 0; b < hitBlocks; b++) {
        int block = pool.lookup(r.blockKey(b, blockSize));
        pool.touch(block);
        r.blocks[r.blockCount++] = block;
      }
      r.computed = hit;
      r.cachedTokens = hit;
      r.registeredBlocks = hitBlocks;
      r.state = SimRequest.State.RUNNING;
      allocateUpTo(r, hit + tokens);
      if (runningCount == running.length) {
        running = Arrays.copyOf(running, runningCount * 2);
      }
      running[runningCount++] = r;
      addScheduled(r, tokens);
      return true;
    }

    @Override
    public int preemptionsThisStep() {
      return stepPreemptions;
    }

    @Override
    public boolean shedWaiting(int index) {
      if (index < 0 || index >= waitingCount) {
        throw new IndexOutOfBoundsException(index);
      }
      SimRequest r = waitingAt(index);
      removeWaiting(index);
      r.state = SimRequest.State.REJECTED;
      r.shed = true;
      emit(r, RequestPhase.REJECTED, nowMs);
      return true;
    }
  }
}
