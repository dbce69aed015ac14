package io.synergysched.core.routing.prism;

import io.synergysched.core.routing.Candidates;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.RoutingRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A forecaster whose forecasts a test writes by hand, supplied to PRISM's plugins as their shared
 * component in place of the {@link ModelForecaster}. Every engine starts reliable, all else 0.
 */
final class FixedForecaster implements SloForecaster {

  final Forecasts forecasts = new Forecasts();

  FixedForecaster(int engines) {
    forecasts.size(engines);
    Arrays.fill(forecasts.reliable, true);
  }

  /** The host-supplied components that make PRISM's plugins read this forecaster. */
  Map<Class<?>, Object> asShared() {
    return Map.of(SloForecaster.class, this);
  }

  @Override
  public String type() {
    return "fixed-forecaster";
  }

  @Override
  public Forecasts forecast(RoutingRequest request, List<? extends EngineView> engines, Candidates candidates) {
    return forecasts;
  }
}
