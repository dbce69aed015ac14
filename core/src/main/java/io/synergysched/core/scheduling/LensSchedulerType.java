package io.synergysched.core.scheduling;

import io.synergysched.core.lens.LensPlanner;
import io.synergysched.core.lens.LensPlannerConfig;
import io.synergysched.core.lens.LensScheduler;
import io.synergysched.core.lens.LensSchedulerConfig;
import io.synergysched.core.model.StepLatencyModelConfig;
import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.Map;

/**
 * The scheduler type {@code lens}: a self-planning {@link LensScheduler} (it learns its engine's
 * model and plans its own hints) with LENS's defaults, and its triage set per profile. The
 * defaults are {@link LensSchedulerConfig#defaults()}'s, read from there rather than restated.
 */
final class LensSchedulerType {

  static final String TYPE = LensScheduler.NAME;

  private static final LensSchedulerConfig DEFAULTS = LensSchedulerConfig.defaults();

  private static final Setting<Double> SHED_AFTER_TTFT_MULTIPLE = Setting.number("shed-after-ttft-multiple",
      DEFAULTS.shedAfterTtftMultiple(), "0 or >= 1", v -> v == 0 || v >= 1,
      "a deferred waiting request is shed once it has waited this many of its TTFT targets; 0 never");
  private static final Setting<Boolean> SHED_HOPELESS = Setting.flag("shed-hopeless", DEFAULTS.shedHopeless(),
      "shed a waiting request as soon as it would miss its TTFT even if served first");

  static final Settings PARAMETERS = Settings.of(SHED_AFTER_TTFT_MULTIPLE, SHED_HOPELESS);

  /** LENS's own triage, its defaults. */
  static final Map<String, String> TRIAGE = Map.of(
      SHED_AFTER_TTFT_MULTIPLE.key(), Double.toString(DEFAULTS.shedAfterTtftMultiple()),
      SHED_HOPELESS.key(), Boolean.toString(DEFAULTS.shedHopeless()));

  /** LENS that never sheds (it still defers the requests it cannot serve in time). */
  static final Map<String, String> NO_TRIAGE = Map.of(SHED_AFTER_TTFT_MULTIPLE.key(), "0",
      SHED_HOPELESS.key(), "false");

  private LensSchedulerType() {}

  static BatchScheduler of(SchedulerProfile profile, SchedulerEnvironment environment) {
    LensSchedulerConfig config = DEFAULTS.withShedding(profile.get(SHED_AFTER_TTFT_MULTIPLE),
        profile.get(SHED_HOPELESS));
    return LensScheduler.selfPlanning(environment, config, new LensPlanner(LensPlannerConfig.defaults()),
        StepLatencyModelConfig.defaults());
  }
}
