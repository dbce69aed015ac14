package io.synergysched.simulator.cluster;

import io.synergysched.core.routing.EngineView;

/**
 * What the router knows of one engine: the per-step telemetry it published, delivered after a
 * fixed delay, as a real deployment sees its engines through a metrics pipeline. Reports are kept
 * in a ring until they become visible; nothing is allocated per step once the ring has grown.
 */
final class StaleTelemetryView implements EngineView {

  private final String engineId;
  private final String gpu;
  private final String model;
  private final int tp;
  private final int kvTotal;
  private final double stalenessMs;

  private double[] times = new double[64];
  private int[] waitingAt = new int[64];
  private int[] runningAt = new int[64];
  private int[] kvAt = new int[64];
  private int head;
  private int size;

  private double visibleTime = -1;
  private int visibleWaiting;
  private int visibleRunning;
  private int visibleKv;

  StaleTelemetryView(String engineId, String gpu, String model, int tp, int kvTotal, double stalenessMs) {
    this.engineId = engineId;
    this.gpu = gpu;
    this.model = model;
    this.tp = tp;
    this.kvTotal = kvTotal;
    this.stalenessMs = stalenessMs;
  }

  void publish(double timeMs, int waiting, int running, int kvUsed) {
    if (size == times.length) {
      grow();
    }
    int i = (head + size) % times.length;
    times[i] = timeMs;
    waitingAt[i] = waiting;
    runningAt[i] = running;
    kvAt[i] = kvUsed;
    size++;
  }

  /** Makes visible every report published at or before {@code nowMs - staleness}. */
  void advanceTo(double nowMs) {
    double horizon = nowMs - stalenessMs;
    while (size > 0 && times[head] <= horizon) {
      visibleTime = times[head];
      visibleWaiting = waitingAt[head];
      visibleRunning = runningAt[head];
      visibleKv = kvAt[head];
      head = (head + 1) % times.length;
      size--;
    }
  }

  private void grow() {
    int n = times.length * 2;
    double[] t = new double[n];
    int[] w = new int[n];
    int[] r = new int[n];
    int[] k = new int[n];
    for (int i = 0; i < size; i++) {
      int j = (head + i) % times.length;
      t[i] = times[j];
      w[i] = waitingAt[j];
      r[i] = runningAt[j];
      k[i] = kvAt[j];
    }
    times = t;
    waitingAt = w;
    runningAt = r;
    kvAt = k;
    head = 0;
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
    return tp;
  }

  @Override
  public double telemetryTimeMs() {
    return visibleTime;
  }

  @Override
  public int waiting() {
    return visibleWaiting;
  }

  @Override
  public int running() {
    return visibleRunning;
  }

  @Override
  public int kvBlocksUsed() {
    return visibleKv;
  }

  @Override
  public int kvBlocksTotal() {
    return kvTotal;
  }
}
