package io.synergysched.simulator.cluster;

import io.synergysched.simulator.engine.EngineConfig;
import io.synergysched.simulator.profile.ProfiledStepLatency;

/** One engine of a cluster: its settings and its step-time profile. */
public record EngineSetup(EngineConfig config, ProfiledStepLatency latency) {}
