package io.synergysched.connector.sim;

import io.synergysched.connector.EngineBackend;
import io.synergysched.connector.EngineEventSink;
import io.synergysched.core.lens.LatestLensHint;
import io.synergysched.core.lens.LensPlan;
import io.synergysched.core.lens.LensScheduler;
import io.synergysched.core.scheduling.BatchScheduler;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.RequestPhase;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.InferenceRequest;
import io.synergysched.schemas.RequestEvent;
import io.synergysched.schemas.RequestEventType;
import io.synergysched.schemas.RoutedRequest;
import io.synergysched.schemas.StepTelemetry;
import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.engine.EngineListener;
import io.synergysched.simulator.engine.SimRequest;
import io.synergysched.simulator.engine.SimulatedEngine;
import io.synergysched.simulator.engine.WallClockEngineDriver;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import io.synergysched.runtime.mapping.TelemetryMapping;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The simulator's engine (continuous batching, paged KV cache, step times from measured GPU
 * profiles) serving routed requests on the wall clock, sped up by a factor.
 *
 * <p>Time: the engine runs in engine time, {@code startEpochMs + virtual ms}; with speed factor
 * {@code s} it passes {@code s} times faster than the wall clock, and so do the step start times
 * and latencies it reports. A request's TTFT counts from its arrival at the cluster: the wall time
 * it spent being routed, scaled by {@code s}, plus its engine time to the first token.
 *
 * <p>Output length: a trace replayed through the system carries each request's true output length
 * as {@code maxOutputTokens}, and the engine generates exactly that many tokens, as a benchmark
 * run of vLLM with {@code ignore_eos} does.
 */
public final class SimulatedEngineBackend implements EngineBackend {

  private final String engineId;
  private final ProfiledStepLatency latency;
  private final SimulatedEngine engine;
  private final WallClockEngineDriver driver;
  private final double speed;
  private final LongSupplier wallClockMs;
  private final AtomicLong nextId = new AtomicLong();
  private final Map<Long, Tracked> tracked = new ConcurrentHashMap<>();
  /**
   * Epoch ms at which the engine's clock started ({@link #start}); engine time is this plus the
   * engine's virtual ms. Taken at start, not at construction: a connector builds every backend
   * (profiles, LENS prior fits) and its publisher before it starts them, and a clock taken earlier
   * would put every reported time that long in the past.
   */
  private volatile long startedAtMs;
  private final LatestLensHint hints;
  private volatile EngineEventSink sink;
  private volatile boolean closed;

  /** What the engine does not know about a request but its events must carry. */
  private record Tracked(InferenceRequest request, long receivedWallMs, SimRequest sim) {}

  /**
   * @param speed engine time per wall time, &gt; 0
   * @param wallClockMs epoch milliseconds, usually {@code System::currentTimeMillis}
   */
  public SimulatedEngineBackend(
      EngineConfig config, ProfiledStepLatency latency, BatchScheduler scheduler, double speed,
      LongSupplier wallClockMs) {
    this(config, latency, scheduler, null, speed, wallClockMs);
  }

  /**
   * @param hints where hints from the control topic go for the engine's LENS scheduler (built to
   *     read them), or null when the scheduler takes no hints
   * @param speed engine time per wall time, &gt; 0
   * @param wallClockMs epoch milliseconds, usually {@code System::currentTimeMillis}
   */
  public SimulatedEngineBackend(
      EngineConfig config, ProfiledStepLatency latency, BatchScheduler scheduler, LatestLensHint hints,
      double speed, LongSupplier wallClockMs) {
    this.hints = hints;
    this.engineId = config.engineId();
    this.latency = latency;
    this.engine = new SimulatedEngine(config, latency, scheduler);
    this.driver = new WallClockEngineDriver(engine, speed, System::nanoTime);
    this.speed = speed;
    this.wallClockMs = wallClockMs;
  }

  @Override
  public String engineId() {
    return engineId;
  }

  @Override
  public EngineDescriptor descriptor(long heartbeatMs) {
    return EngineDescriptor.newBuilder()
        .setEngineId(engineId)
        .setGpu(latency.spec().gpu())
        .setModel(latency.spec().model())
        .setTensorParallel(latency.spec().tensorParallel())
        .setKvBlocksTotal(engine.kvBlocksTotal())
        .setBlockSizeTokens(16)
        .setMaxNumBatchedTokens(engine.scheduler().tokenBudget())
        .setMaxNumSeqs(engine.scheduler().maxNumSeqs())
        .setMaxModelLen(engine.maxModelLen())
        .setScheduler(engine.scheduler().name())
        .setEndpoint(null)
        .setStartedAtMs(startedAtMs)
        .setHeartbeatMs(heartbeatMs)
        .build();
  }

  @Override
  public void start(EngineEventSink eventSink) {
    this.sink = eventSink;
    engine.setListener(new EngineListener() {
      @Override
      public void onStep(StepObservation step) {
        LensPlan applied = appliedHint();
        eventSink.onStep(withHintVersion(applied == null ? -1 : applied.hintVersion(), new StepObservation(
            step.engineId(), step.stepIndex(), startedAtMs + step.startTimeMs(), step.durationUs(),
            step.prefillTokens(), step.prefillChunks(), step.prefillChunkSqSum(),
            step.prefillCachedContext(), step.prefillChunkContextProduct(), step.decodeSeqs(),
            step.decodeContextSum(), step.kvBlocksUsed(), step.kvBlocksTotal(), step.waiting(),
            step.running(), step.preemptions(), step.tokenBudget())));
      }

      private StepTelemetry withHintVersion(long version, StepObservation step) {
        StepTelemetry telemetry = TelemetryMapping.toTelemetry(step);
        telemetry.setLensHintVersion(version);
        return telemetry;
      }

      @Override
      public void onRequestEvent(RequestObservation event) {
        Tracked t = tracked.get(event.requestId());
        if (t == null) {
          return;
        }
        eventSink.onRequestEvent(toAvro(event, t));
        if (event.type() == RequestPhase.FINISHED
            || event.type() == RequestPhase.REJECTED) {
          tracked.remove(event.requestId());
        }
      }
    });
    startedAtMs = wallClockMs.getAsLong();
    driver.start();
  }

  @Override
  public void submit(RoutedRequest routed) {
    InferenceRequest request = routed.getRequest();
    if (closed) {
      EngineEventSink s = sink;
      if (s != null) {
        s.onRequestEvent(rejected(new Tracked(request, wallClockMs.getAsLong(), null),
            "engine " + engineId + " is stopped"));
      }
      return;
    }
    long id = nextId.incrementAndGet();
    long[] hashes = request.getPrefixBlockHashes().stream().mapToLong(Long::longValue).toArray();
    SimRequest sim = new SimRequest(
        id,
        driver.virtualNowMs(),
        request.getPromptTokens(),
        request.getMaxOutputTokens(),
        request.getSloTtftMs() == null ? Double.NaN : request.getSloTtftMs(),
        request.getSloTpotMs() == null ? Double.NaN : request.getSloTpotMs(),
        hashes);
    tracked.put(id, new Tracked(request, wallClockMs.getAsLong(), sim));
    driver.submit(sim);
  }

  /**
   * Takes the hint for the engine's LENS scheduler, its times moved from the planner's wall clock
   * to the engine's clock (which runs {@code speed} times faster), so the scheduler's own expiry
   * check falls back to the defaults when the hint's lifetime on the wall clock ends.
   */
  @Override
  public boolean applyHint(LensPlan hint) {
    if (hints == null) {
      return false;
    }
    if (hint == null) {
      hints.clear();
      return true;
    }
    double engineNow = driver.virtualNowMs();
    long wallNow = wallClockMs.getAsLong();
    return hints.offer(new LensPlan(hint.engineId(), hint.hintVersion(), hint.modelVersion(),
        (long) Math.floor(engineNow + (hint.issuedAtMs() - wallNow) * speed),
        (long) Math.floor(engineNow + (hint.validUntilMs() - wallNow) * speed),
        hint.tpotTargetMs(), hint.tpotMarginMs(), hint.budgetCurve(), hint.maxNumSeqs(), hint.chunkSizeTokens(),
        hint.kvAdmissionWatermark(), hint.priorityPolicy()));
  }

  /** The hint the latest step ran with (times on the engine's clock), or null. */
  @Override
  public LensPlan appliedHint() {
    return engine.scheduler() instanceof LensScheduler lens ? lens.appliedHint() : null;
  }

  @Override
  public boolean isHealthy() {
    return !closed && driver.failure() == null;
  }

  /** Requests handed over and not yet finished or rejected. */
  public int inFlight() {
    return tracked.size();
  }

  @Override
  public void close() {
    closed = true;
    driver.close();
    EngineEventSink s = sink;
    for (Map.Entry<Long, Tracked> e : tracked.entrySet()) {
      if (s != null) {
        s.onRequestEvent(rejected(e.getValue(), "engine " + engineId + " stopped"));
      }
    }
    tracked.clear();
  }

  private RequestEvent toAvro(RequestObservation event, Tracked t) {
    InferenceRequest r = t.request();
    long engineTimeMs = startedAtMs + Math.round(event.timeMs());
    var builder = RequestEvent.newBuilder()
        .setEngineId(engineId)
        .setRequestId(r.getRequestId())
        .setType(RequestEventType.valueOf(event.type().name()))
        .setEventTimeMs(engineTimeMs)
        .setArrivalTimeMs(r.getArrivalTimeMs())
        .setPromptTokens(event.promptTokens())
        .setCachedPromptTokens(event.cachedTokens())
        .setOutputTokens(event.generatedTokens())
        .setSloTtftMs(r.getSloTtftMs())
        .setSloTpotMs(r.getSloTpotMs());
    SimRequest sim = t.sim();
    if (!Double.isNaN(sim.firstTokenTimeMs())) {
      // routing time (wall, scaled to engine time) plus engine time from arrival to first token
      double routingMs = Math.max(0, t.receivedWallMs() - r.getArrivalTimeMs()) * speed;
      builder.setTtftUs(
          Math.round((routingMs + sim.firstTokenTimeMs() - sim.arrivalTimeMs()) * 1000));
    }
    if (event.type() == RequestPhase.FINISHED
        && event.generatedTokens() > 1) {
      builder.setTpotUs(Math.round(
          (sim.finishTimeMs() - sim.firstTokenTimeMs()) / (event.generatedTokens() - 1) * 1000));
    }
    if (event.type() == RequestPhase.REJECTED) {
      builder.setReason("longer than the model's context or the whole KV cache");
    }
    return builder.build();
  }

  private RequestEvent rejected(Tracked t, String reason) {
    InferenceRequest r = t.request();
    return RequestEvent.newBuilder()
        .setEngineId(engineId)
        .setRequestId(r.getRequestId())
        .setType(RequestEventType.REJECTED)
        .setEventTimeMs(wallClockMs.getAsLong())
        .setArrivalTimeMs(r.getArrivalTimeMs())
        .setPromptTokens(r.getPromptTokens())
        .setOutputTokens(0)
        .setSloTtftMs(r.getSloTtftMs())
        .setSloTpotMs(r.getSloTpotMs())
        .setReason(reason)
        .build();
  }
}
