package io.synergysched.simulator.cluster;

import io.synergysched.core.model.StepLatencyPrior;
import io.synergysched.core.routing.EngineView;
import io.synergysched.core.routing.Router;
import io.synergysched.core.routing.RouterRegistry;
import io.synergysched.core.routing.RoutingRequest;
import io.synergysched.core.routing.prism.SloForecaster;
import io.synergysched.core.telemetry.RequestObservation;
import io.synergysched.core.telemetry.StepObservation;
import io.synergysched.simulator.engine.SimulatedEngine;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The routers a simulation can run: every {@link RouterRegistry} router plus {@code oracle}, PRISM's
 * profile (same filter, scorers, picker and admission) fed by a {@link GroundTruthForecaster}
 * instead of the online models: the upper bound of what the decision rule can do with perfect
 * information.
 */
public final class SimulatorRouters {

  public static final String ORACLE = "oracle";

  private SimulatorRouters() {}

  public static Set<String> names() {
    Set<String> names = new LinkedHashSet<>(RouterRegistry.names());
    names.add(ORACLE);
    return names;
  }

  /** A fresh router by name, as shipped; fails naming the known ones. */
  public static Router create(String name) {
    return create(name, Regime.AS_SHIPPED);
  }

  /** A fresh router by name under {@code regime}; fails naming the known ones. */
  public static Router create(String name, Regime regime) {
    regime.requireImplemented();
    if (!ORACLE.equals(name)) {
      if (!RouterRegistry.names().contains(name)) {
        throw new IllegalArgumentException("unknown router '" + name + "', known: " + names());
      }
      return RouterRegistry.create(name);
    }
    GroundTruthForecaster truth = new GroundTruthForecaster();
    Router prism = RouterRegistry.create(RouterRegistry.PRISM, Map.of(SloForecaster.class, truth));
    return new Oracle(prism, truth);
  }

  private static final class Oracle implements Router, TruthAwareRouter {
    private final Router delegate;
    private final GroundTruthForecaster truth;

    Oracle(Router delegate, GroundTruthForecaster truth) {
      this.delegate = delegate;
      this.truth = truth;
    }

    @Override
    public String name() {
      return ORACLE;
    }

    @Override
    public int route(RoutingRequest request, List<? extends EngineView> engines) {
      return delegate.route(request, engines);
    }

    @Override
    public void attachTruth(SimulatedEngine[] engines, int[] trueOutputs) {
      truth.attach(engines, trueOutputs);
    }

    @Override
    public boolean observesEngines() {
      return true;
    }

    @Override
    public void useEngineClassPriors(Function<String, StepLatencyPrior> priors) {
      delegate.useEngineClassPriors(priors);
    }

    @Override
    public void onStepVisible(int engineIndex, StepObservation step) {
      delegate.onStepVisible(engineIndex, step);
    }

    @Override
    public void onRequestEventVisible(int engineIndex, RequestObservation event) {
      delegate.onRequestEventVisible(engineIndex, event);
    }

    @Override
    public void onResponse(int engineIndex, RequestObservation event) {
      delegate.onResponse(engineIndex, event);
    }
  }
}
