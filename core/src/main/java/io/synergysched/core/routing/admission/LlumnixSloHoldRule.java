package io.synergysched.core.routing.admission;

import io.synergysched.core.routing.AdmissionDecision;
import io.synergysched.core.routing.AdmissionRule;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.PluginContext;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Llumnix's hold-then-reject under its {@code slo} scheduling policy: when the filters leave no
 * instance (its TTFT filter keeps only instances predicted under 0.85 of the target, and does not
 * relax when none passes), the scheduler answers "no available endpoint" and the gateway waits
 * {@code retry-interval-ms} and asks again, up to {@code timeout-ms} after the first attempt; then
 * it rejects the request (HTTP 503). Here the request is held until the next attempt and the host
 * offers it to the router again then; the attempt that finds no instance at or past the timeout
 * sheds it. The first attempt of each request is remembered until it is placed or shed.
 */
public final class LlumnixSloHoldRule implements AdmissionRule {

  public static final String TYPE = "llumnix-slo-hold";

  private static final Setting<Double> RETRY_INTERVAL = Setting.number("retry-interval-ms", 1000, 1, 1e7,
      "wait before asking the scheduler again, ms (Llumnix gateway's wait-scheduling-retry-interval, 1000 ms)");
  private static final Setting<Double> TIMEOUT = Setting.number("timeout-ms", 5000, 0, 1e8,
      "time after the first attempt at which a request still without an instance is rejected, ms (Llumnix"
          + " gateway's wait-scheduling-timeout, 5000 ms)");
  public static final Settings PARAMETERS = Settings.of(RETRY_INTERVAL, TIMEOUT);

  private static final AdmissionDecision TIMED_OUT =
      AdmissionDecision.shed(TYPE + ": no instance met the SLO before the timeout");

  private final double retryIntervalMs;
  private final double timeoutMs;
  /** First attempt of each request being held, ms. */
  private final Map<Long, Double> firstAttemptMs = new HashMap<>();
  /** The same requests in the order they were first held, to forget those a host never brought back. */
  private final ArrayDeque<long[]> heldOrder = new ArrayDeque<>();
  private final Map<String, String> reasonByFilter = new HashMap<>();

  public LlumnixSloHoldRule(PluginContext context) {
    this.retryIntervalMs = context.get(RETRY_INTERVAL);
    this.timeoutMs = context.get(TIMEOUT);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public AdmissionDecision whenNoCandidate(RoutingRequest request, List<? extends EngineView> engines,
      String filterType) {
    double now = request.arrivalTimeMs();
    forgetAbandoned(now);
    Double first = firstAttemptMs.get(request.requestId());
    if (first == null) {
      first = now;
      firstAttemptMs.put(request.requestId(), now);
      heldOrder.addLast(new long[] {request.requestId(), Double.doubleToLongBits(now)});
    }
    if (now - first >= timeoutMs) {
      firstAttemptMs.remove(request.requestId());
      return TIMED_OUT;
    }
    String reason = reasonByFilter.computeIfAbsent(filterType,
        f -> TYPE + ": no instance passed " + f + ", asking again");
    return AdmissionDecision.hold(now + retryIntervalMs, reason);
  }

  @Override
  public void onRouted(RoutingRequest request, int engineIndex) {
    if (engineIndex >= 0 && !firstAttemptMs.isEmpty()) {
      firstAttemptMs.remove(request.requestId());
    }
  }

  /**
   * Drops requests whose last attempt is over (first attempt more than a timeout and an interval
   * ago): a host that sheds held requests of its own accord never brings them back.
   */
  private void forgetAbandoned(double now) {
    while (!heldOrder.isEmpty()) {
      long[] oldest = heldOrder.peekFirst();
      double first = Double.longBitsToDouble(oldest[1]);
      if (now - first <= timeoutMs + retryIntervalMs) {
        return;
      }
      heldOrder.pollFirst();
      Double current = firstAttemptMs.get(oldest[0]);
      if (current != null && current == first) {
        firstAttemptMs.remove(oldest[0]);
      }
    }
  }

  /** Requests currently remembered as held (for tests). */
  int heldCount() {
    return firstAttemptMs.size();
  }
}
