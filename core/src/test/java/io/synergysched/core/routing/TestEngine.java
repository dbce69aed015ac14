package io.synergysched.core.routing;

/** A mutable engine view for routing tests. */
public final class TestEngine implements EngineView {

  private final String id;
  private final String gpu;
  public int waiting;
  public int running;
  public int kvUsed;
  public int kvTotal = 7000;
  public double telemetryTime = -1;
  public String servedModel = "llama-2-7b";
  public int maxModelLen = Integer.MAX_VALUE;
  public boolean available = true;

  public TestEngine(String id, String gpu) {
    this.id = id;
    this.gpu = gpu;
  }

  @Override
  public String engineId() {
    return id;
  }

  @Override
  public String gpu() {
    return gpu;
  }

  @Override
  public String model() {
    return servedModel;
  }

  @Override
  public int tensorParallel() {
    return 1;
  }

  @Override
  public double telemetryTimeMs() {
    return telemetryTime;
  }

  @Override
  public int waiting() {
    return waiting;
  }

  @Override
  public int running() {
    return running;
  }

  @Override
  public int kvBlocksUsed() {
    return kvUsed;
  }

  @Override
  public int kvBlocksTotal() {
    return kvTotal;
  }

  @Override
  public int maxModelLen() {
    return maxModelLen;
  }

  @Override
  public boolean available() {
    return available;
  }

  public static RoutingRequest request(long id, double arrivalMs, int prompt) {
    return new RoutingRequest(id, arrivalMs, prompt, 1000, 100, null, new long[0]);
  }
}
