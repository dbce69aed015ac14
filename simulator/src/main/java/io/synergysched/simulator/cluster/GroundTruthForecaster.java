package io.synergysched.simulator.cluster;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutedPrefixIndex;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.prism.Forecasts;
import io.synergysched.core.routing.prism.SloForecaster;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.simulator.engine.SimulatedEngine;
import io.synergysched.simulator.profile.ProfiledStepLatency;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle's forecaster, simulator only: it knows every request's true output length, sees each
 * engine's state with no delay (first tokens and completions as they happen, the step counter, KV
 * blocks in use, the step in flight) and times steps with the engine's true profile. For each
 * candidate it simulates the engine forward with the request added: vLLM FCFS chunked prefill at
 * the 8,192-token budget, KV blocks granted at admission and freed at completion, decodes finishing
 * at their true lengths, no further arrivals. TTFT is the end of the step that completes the
 * request's prefill; TPOT the mean of its next {@value #TPOT_STEPS} decode steps. What it does not
 * know: the exact chunk progress of the head of the queue and the engine's prefix-cache contents
 * (it uses the router-side prefix index, as PRISM does).
 */
final class GroundTruthForecaster implements SloForecaster {

  static final int TPOT_STEPS = 16;
  private static final int BUDGET = 8192;
  private static final int MAX_SEQS = 256;
  private static final int BLOCK = 16;

  private static final class Req {
    final int engine;
    final int prompt;
    final int prefill;
    final int output;
    long firstTokenStep = -1;

    Req(int engine, int prompt, int prefill, int output) {
      this.engine = engine;
      this.prompt = prompt;
      this.prefill = prefill;
      this.output = output;
    }
  }

  private SimulatedEngine[] sims;
  private ProfiledStepLatency[] latencies;
  private int[] trueOutputs;
  private final List<LinkedHashMap<Long, Req>> pending = new ArrayList<>();
  private final List<LinkedHashMap<Long, Req>> decoding = new ArrayList<>();
  private final Map<Long, Req> all = new java.util.HashMap<>();
  private final RoutedPrefixIndex prefixes = new RoutedPrefixIndex();
  private final Forecasts forecasts = new Forecasts();

  // Forward-simulation scratch.
  private long[] heap = new long[512];
  private int heapSize;

  void attach(SimulatedEngine[] sims, int[] trueOutputs) {
    this.sims = sims;
    this.trueOutputs = trueOutputs;
    this.latencies = new ProfiledStepLatency[sims.length];
    for (int i = 0; i < sims.length; i++) {
      latencies[i] = sims[i].latency();
      pending.add(new LinkedHashMap<>());
      decoding.add(new LinkedHashMap<>());
      prefixes.ensureEngine(i, Math.max(1, sims[i].kvBlocksTotal() * BLOCK / 512));
    }
  }

  @Override
  public String type() {
    return "ground-truth-forecaster";
  }

  @Override
  public boolean observesEngines() {
    return true;
  }

  @Override
  public Forecasts forecast(RoutingRequest r, List<? extends EngineView> engines, Candidates c) {
    if (sims == null) {
      throw new IllegalStateException("the oracle runs only inside the simulator");
    }
    if (forecasts.isFor(r.requestId(), r.arrivalTimeMs())) {
      return forecasts;
    }
    forecasts.markFor(r.requestId(), r.arrivalTimeMs(), engines.size());
    int out = trueOutputs[(int) r.requestId()];
    for (int k = 0; k < c.size(); k++) {
      int i = c.engineAt(k);
      int cached = r.prefixHashes().length == 0 ? 0
          : Math.min(r.promptTokens() - 1, prefixes.matchedPrefix(i, r.prefixHashes()) * 512);
      forecasts.cachedShare[i] = (double) cached / r.promptTokens();
      forecasts.reliable[i] = true;
      forecasts.inFlight[i] = pending.get(i).size() + decoding.get(i).size();
      forecasts.referenceStepMs[i] = latencies[i].stepMs(0, 0, 0, 0, 32, 32 * 1024);
      simulate(i, r, r.promptTokens() - cached, out);
    }
    return forecasts;
  }

  /** Forward simulation of engine {@code i} with the request appended to its queue. */
  private void simulate(int i, RoutingRequest r, int ownPrefill, int out) {
    SimulatedEngine sim = sims[i];
    ProfiledStepLatency lat = latencies[i];
    double now = r.arrivalTimeMs();
    double t = sim.isBusy() ? Math.max(0, sim.stepEndMs() - now) : 0;
    long stepNow = sim.stepsCompleted();
    heapSize = 0;
    int decodes = 0;
    long ctx = 0;
    for (Req d : decoding.get(i).values()) {
      long generated = 1 + Math.max(0, stepNow - d.firstTokenStep);
      long remaining = Math.max(1, d.output - generated);
      push(remaining, d.prompt + d.output);
      decodes++;
      ctx += d.prompt + generated;
    }
    double d0 = decodes > 0 ? lat.stepMs(0, 0, 0, 0, decodes, ctx) : 0;
    long free = (long) sim.kvBlocksTotal() - sim.kvBlocksUsed();
    // Queue: waiting prompts in FIFO order, then the new request (index = size).
    LinkedHashMap<Long, Req> queueMap = pending.get(i);
    int qn = queueMap.size() + 1;
    int[] left = new int[qn];
    int[] prompts = new int[qn];
    int[] outputs = new int[qn];
    int q = 0;
    for (Req p : queueMap.values()) {
      left[q] = p.prefill;
      prompts[q] = p.prompt;
      outputs[q] = p.output;
      q++;
    }
    left[q] = ownPrefill;
    prompts[q] = r.promptTokens();
    outputs[q] = out;
    int head = 0;
    boolean headAdmitted = false;
    long step = 0;
    double ttft = Double.NaN;
    double tpotSum = 0;
    int tpotSteps = 0;
    double limit = Double.isNaN(r.sloTtftMs()) ? 30_000 : Math.max(3 * r.sloTtftMs(), 2_000);
    // The first admitted head may already hold its blocks; the engine's used count includes them.
    while (true) {
      int budgetLeft = BUDGET - decodes;
      int prefillTokens = 0;
      int chunks = 0;
      long sq = 0;
      int seqs = decodes;
      int completedFrom = head;
      int h = head;
      boolean admittedFlag = headAdmitted;
      while (budgetLeft > 0 && h < qn && seqs < MAX_SEQS) {
        if (!admittedFlag) {
          long need = (prompts[h] + BLOCK - 1) / BLOCK;
          if (need > free) {
            break;
          }
          free -= need;
          admittedFlag = true;
        }
        int chunk = Math.min(budgetLeft, left[h]);
        prefillTokens += chunk;
        chunks++;
        sq += (long) chunk * chunk;
        budgetLeft -= chunk;
        left[h] -= chunk;
        seqs++;
        if (left[h] == 0) {
          h++;
          admittedFlag = false;
        } else {
          break;
        }
      }
      if (prefillTokens == 0 && decodes == 0) {
        // Nothing can run: the KV cache cannot admit the head and nothing will free it.
        ttft = Double.POSITIVE_INFINITY;
        break;
      }
      double ms = lat.stepMs(prefillTokens, chunks, sq, 0, decodes, ctx);
      t += ms;
      step++;
      if (!Double.isNaN(ttft)) {
        tpotSum += ms;
        tpotSteps++;
      }
      // Decodes advance; the ones that reach their length finish and free their blocks.
      ctx += decodes;
      while (heapSize > 0 && (heap[0] >>> 32) <= step) {
        long e = pop();
        decodes--;
        int len = (int) (e & 0xffffffffL);
        ctx -= len;
        free += (len + BLOCK - 1) / BLOCK;
      }
      for (int j = completedFrom; j < h; j++) {
        push(step + Math.max(1, outputs[j] - 1), prompts[j] + outputs[j]);
        decodes++;
        ctx += prompts[j] + 1;
        if (j == qn - 1) {
          ttft = t;
        }
      }
      head = h;
      headAdmitted = admittedFlag;
      if (!Double.isNaN(ttft) && (tpotSteps >= Math.min(TPOT_STEPS, out - 1) || out <= 1)) {
        break;
      }
      if (Double.isNaN(ttft) && t > limit) {
        ttft = t;
        tpotSum = d0;
        tpotSteps = 1;
        break;
      }
    }
    forecasts.ttftMs[i] = ttft;
    forecasts.tpotMs[i] = tpotSteps > 0 ? tpotSum / tpotSteps : (decodes > 0 ? lat.stepMs(0, 0, 0, 0, decodes, ctx) : 0);
    int curDecodes = decoding.get(i).size();
    double d1 = lat.stepMs(0, 0, 0, 0, curDecodes + 1, (long) (curDecodes * 1024L + r.promptTokens()));
    double base = curDecodes > 0 ? lat.stepMs(0, 0, 0, 0, curDecodes, curDecodes * 1024L) : 0;
    double spike = lat.stepMs(Math.min(ownPrefill, BUDGET), 1, (long) Math.min(ownPrefill, BUDGET) * Math.min(ownPrefill, BUDGET), 0,
        curDecodes, curDecodes * 1024L) - base;
    forecasts.harmMs[i] = curDecodes * ((d1 - base) + Math.max(0, spike) / Math.max(1, out));
  }

  private void push(long finishStep, int length) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, heapSize * 2);
    }
    long v = (finishStep << 32) | (length & 0xffffffffL);
    int k = heapSize++;
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      if (heap[parent] <= v) {
        break;
      }
      heap[k] = heap[parent];
      k = parent;
    }
    heap[k] = v;
  }

  private long pop() {
    long top = heap[0];
    long last = heap[--heapSize];
    int k = 0;
    while (true) {
      int child = 2 * k + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[k] = heap[child];
      k = child;
    }
    heap[k] = last;
    return top;
  }

  @Override
  public void onRouted(RoutingRequest r, int engine) {
    if (engine == Router.SHED) {
      return;
    }
    double share = forecasts.isFor(r.requestId(), r.arrivalTimeMs()) ? forecasts.cachedShare[engine] : 0;
    int prefill = Math.max(1, (int) Math.round(r.promptTokens() * (1 - share)));
    Req req = new Req(engine, r.promptTokens(), prefill, trueOutputs[(int) r.requestId()]);
    all.put(r.requestId(), req);
    pending.get(engine).put(r.requestId(), req);
    if (r.prefixHashes().length > 0) {
      prefixes.record(engine, r.prefixHashes(), 1);
    }
  }

  @Override
  public void onResponse(int engine, RequestObservation event) {
    Req req = all.get(event.requestId());
    if (req == null) {
      return;
    }
    switch (event.type()) {
      case FIRST_TOKEN -> {
        if (pending.get(engine).remove(event.requestId()) != null) {
          req.firstTokenStep = sims[engine].stepsCompleted();
          decoding.get(engine).put(event.requestId(), req);
        }
      }
      case FINISHED, REJECTED -> {
        pending.get(engine).remove(event.requestId());
        decoding.get(engine).remove(event.requestId());
        all.remove(event.requestId());
      }
      default -> { }
    }
  }
}
