package io.synergysched.simulator.cluster;

import io.synergysched.simulator.engine.SimulatedEngine;

/**
 * A router that may look at the simulation's ground truth (the oracle). The simulation calls
 * {@link #attachTruth} once before the first request; such a router cannot run outside it.
 */
public interface TruthAwareRouter {

  /** @param trueOutputs output length of request {@code id} at index {@code id} */
  void attachTruth(SimulatedEngine[] engines, int[] trueOutputs);
}
