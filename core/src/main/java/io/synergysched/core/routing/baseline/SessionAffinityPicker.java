package io.synergysched.core.routing.baseline;

import io.synergysched.core.routing.CandidatePicker;
import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeMap;

/**
 * vLLM production-stack's {@code session} router: a request with a session id goes to the engine
 * its id hashes to on a consistent-hash ring (virtual nodes per engine, {@code virtual-nodes},
 * default 40 as uhashring); one without goes to the engine with the lowest request rate the router
 * itself measured over a sliding window ({@code qps-window-ms}, default 60,000 as the stack's
 * request-stats window). Candidates outside the filter set are skipped on the ring.
 */
public final class SessionAffinityPicker implements CandidatePicker {

  public static final String TYPE = "session-affinity";

  private static final Setting<Integer> VIRTUAL_NODES = Setting.integer("virtual-nodes", 40, 1, 10_000,
      "points per engine on the consistent-hash ring (uhashring's default)");
  private static final Setting<Double> QPS_WINDOW_MS = Setting.number("qps-window-ms", 60_000, 1, 3_600_000,
      "sliding window of the request rate that places requests without a session id, ms");
  public static final Settings PARAMETERS = Settings.of(VIRTUAL_NODES, QPS_WINDOW_MS);

  private final int virtualNodes;
  private final double windowMs;
  private final TreeMap<Long, Integer> ring = new TreeMap<>();
  private int ringEngines = -1;
  private ArrayDeque<double[]> recent = new ArrayDeque<>();
  private int[] counts = new int[16];

  public SessionAffinityPicker(PluginContext context) {
    this.virtualNodes = context.get(VIRTUAL_NODES);
    this.windowMs = context.get(QPS_WINDOW_MS);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int pick(RoutingRequest request, List<? extends EngineView> engines, Candidates c, double[] totals) {
    int n = engines.size();
    if (counts.length < n) {
      counts = java.util.Arrays.copyOf(counts, n);
    }
    while (!recent.isEmpty() && recent.peekFirst()[0] < request.arrivalTimeMs() - windowMs) {
      counts[(int) recent.pollFirst()[1]]--;
    }
    if (request.sessionId() != null) {
      if (ringEngines != n) {
        buildRing(engines);
      }
      long h = hash(request.sessionId());
      var entry = ring.ceilingEntry(h);
      for (int tries = 0; tries < ring.size(); tries++) {
        if (entry == null) {
          entry = ring.firstEntry();
        }
        if (isCandidate(c, entry.getValue())) {
          return entry.getValue();
        }
        entry = ring.higherEntry(entry.getKey());
      }
    }
    int best = c.engineAt(0);
    for (int k = 1; k < c.size(); k++) {
      if (counts[c.engineAt(k)] < counts[best]) {
        best = c.engineAt(k);
      }
    }
    return best;
  }

  @Override
  public void onRouted(RoutingRequest request, int engine) {
    if (engine != Router.SHED) {
      recent.addLast(new double[] {request.arrivalTimeMs(), engine});
      counts[engine]++;
    }
  }

  private static boolean isCandidate(Candidates c, int engine) {
    for (int k = 0; k < c.size(); k++) {
      if (c.engineAt(k) == engine) {
        return true;
      }
    }
    return false;
  }

  private void buildRing(List<? extends EngineView> engines) {
    ring.clear();
    for (int i = 0; i < engines.size(); i++) {
      for (int v = 0; v < virtualNodes; v++) {
        ring.put(hash(engines.get(i).engineId() + "-" + v), i);
      }
    }
    ringEngines = engines.size();
  }

  /** FNV-1a 64, then a finalizer: stable across JVMs, unlike String.hashCode spreading. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
