package io.synergysched.connector;

import io.synergysched.core.lens.LatestLensHint;
import io.synergysched.core.lens.LensPlan;
import io.synergysched.schemas.EngineDescriptor;
import io.synergysched.schemas.RoutedRequest;
import java.util.ArrayList;
import java.util.List;

/** An engine for the readers' tests: keeps the requests handed to it and takes hints as LENS does. */
final class RecordingEngine implements EngineBackend {

  final String id;
  final LatestLensHint hints = new LatestLensHint();
  /** Every hint offered, tombstones (null) too. */
  final List<LensPlan> received = new ArrayList<>();
  final List<RoutedRequest> submitted = new ArrayList<>();

  RecordingEngine(String id) {
    this.id = id;
  }

  @Override
  public boolean applyHint(LensPlan hint) {
    received.add(hint);
    if (hint == null) {
      hints.clear();
      return true;
    }
    return hints.offer(hint);
  }

  @Override
  public String engineId() {
    return id;
  }

  @Override
  public EngineDescriptor descriptor(long heartbeatMs) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void start(EngineEventSink sink) {}

  @Override
  public void submit(RoutedRequest request) {
    submitted.add(request);
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {}
}
