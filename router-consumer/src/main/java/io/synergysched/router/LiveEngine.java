package io.synergysched.router;

import io.synergysched.core.routing.EngineView;
import io.synergysched.core.telemetry.EngineStatus;
import io.synergysched.schemas.EngineDescriptor;

/**
 * One engine as the Kafka router knows it: identity and liveness from the registry topic's
 * heartbeats, load from the model-trainer's engine-state snapshot. Mutated only by the router's
 * thread, between decisions.
 */
final class LiveEngine implements EngineView {

  private final String engineId;
  private String gpu = "unknown";
  private String model = "unknown";
  private int tensorParallel = 1;
  private int kvBlocksTotal;
  private int maxModelLen = Integer.MAX_VALUE;
  private long heartbeatMs = Long.MIN_VALUE;
  private boolean retired;
  private boolean alive;
  private EngineStatus status;

  LiveEngine(String engineId) {
    this.engineId = engineId;
  }

  /**
   * Takes a registry entry read at {@code receivedAtMs} (the router's clock). The heartbeat counts
   * no later than when it arrived: an engine whose clock runs ahead, or that stamps its heartbeat
   * in the future, cannot stay "alive" past the timeout after its last heartbeat reached us.
   */
  void describe(EngineDescriptor d, long receivedAtMs) {
    gpu = d.getGpu();
    model = d.getModel();
    tensorParallel = d.getTensorParallel();
    kvBlocksTotal = d.getKvBlocksTotal();
    maxModelLen = d.getMaxModelLen() > 0 ? d.getMaxModelLen() : Integer.MAX_VALUE;
    heartbeatMs = Math.max(heartbeatMs, Math.min(d.getHeartbeatMs(), receivedAtMs));
    retired = false;
  }

  void retire() {
    retired = true;
  }

  void observe(EngineStatus latest) {
    if (status == null || latest.lastStepIndex() >= status.lastStepIndex()) {
      status = latest;
    }
  }

  /** Re-evaluates liveness at {@code nowMs}: described, not retired, heartbeat recent enough. */
  void refresh(long nowMs, long timeoutMs) {
    alive = !retired && heartbeatMs != Long.MIN_VALUE && nowMs - heartbeatMs <= timeoutMs;
  }

  boolean isDescribed() {
    return heartbeatMs != Long.MIN_VALUE;
  }

  @Override
  public boolean available() {
    return alive;
  }

  @Override
  public String engineId() {
    return engineId;
  }

  @Override
  public String gpu() {
    return gpu;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int tensorParallel() {
    return tensorParallel;
  }

  @Override
  public int maxModelLen() {
    return maxModelLen;
  }

  @Override
  public double telemetryTimeMs() {
    return status == null ? -1 : status.lastStepEndMs();
  }

  @Override
  public int waiting() {
    return status == null ? 0 : status.waiting();
  }

  @Override
  public int running() {
    return status == null ? 0 : status.running();
  }

  @Override
  public int kvBlocksUsed() {
    return status == null ? 0 : status.kvBlocksUsed();
  }

  @Override
  public int kvBlocksTotal() {
    return status != null && status.kvBlocksTotal() > 0 ? status.kvBlocksTotal() : kvBlocksTotal;
  }
}
