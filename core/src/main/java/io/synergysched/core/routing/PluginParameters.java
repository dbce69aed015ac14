package io.synergysched.core.routing;

import io.synergysched.core.setting.Setting;

/**
 * Parameter declarations that several plugin types read, spelled once so a key means the same
 * wherever it appears. Each plugin type still lists them in its own {@code PARAMETERS}, and each
 * plugin instance gets its own value ({@code profile.NAME.PLUGIN-TYPE.KEY}).
 */
public final class PluginParameters {

  /** Seed of a plugin's random generator: runs repeat for a seed. */
  public static final Setting<Long> SEED = Setting.whole("seed", 1, 0, Long.MAX_VALUE,
      "seed of this plugin's random generator; runs repeat for a seed");

  /** TTFT target of a request that carries none, ms. */
  public static final Setting<Double> DEFAULT_TTFT_SLO_MS = Setting.number("default-ttft-slo-ms", 1000, 1, 1e9,
      "TTFT target of a request that carries none, ms");

  /** TPOT target of a request that carries none, ms. */
  public static final Setting<Double> DEFAULT_TPOT_SLO_MS = Setting.number("default-tpot-slo-ms", 100, 0.01, 1e9,
      "TPOT target of a request that carries none, ms");

  private PluginParameters() {}
}
