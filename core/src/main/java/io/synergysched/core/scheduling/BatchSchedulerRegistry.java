package io.synergysched.core.scheduling;

import io.synergysched.core.setting.ProfileProperties;
import io.synergysched.core.setting.Settings;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Batch schedulers by kebab-case name, so an experiment picks one by configuration. Every name is
 * a {@link SchedulerProfile}: a registered scheduler type and its parameters; the built-in
 * profiles live in {@code scheduler-profiles.properties} next to this class, so a new variant is a
 * few lines of configuration there and a new policy one registered type. Thread-safe (immutable).
 */
public final class BatchSchedulerRegistry {

  /** vLLM server defaults: {@code max_num_batched_tokens} 8192, {@code max_num_seqs} 256. */
  public static final String VLLM_DEFAULT = "vllm-default";

  /** vLLM's policy with a well-tuned static 2048-token budget. */
  public static final String VLLM_2048 = "vllm-2048";

  /** Sarathi-Serve with static 512-token chunks. */
  public static final String SARATHI_512 = "sarathi-512";

  /**
   * Ablations: the static budgets with LENS's timeout triage (waiting requests shed once their
   * TTFT target has passed), to tell the gain of triage from the gain of adaptive batching.
   */
  public static final String VLLM_2048_SHED = "vllm-2048-shed";

  public static final String SARATHI_512_SHED = "sarathi-512-shed";

  /** SLO-aware adaptive batching planned from the engine's performance model (a profile of {@link #LENS_TYPE}). */
  public static final String LENS = "lens";

  /** The scheduler type of LENS profiles: they learn the engine's model, starting from its class prior. */
  public static final String LENS_TYPE = LensSchedulerType.TYPE;

  /** Classpath resource with the built-in profiles. */
  public static final String PROFILES_RESOURCE = "scheduler-profiles.properties";

  /**
   * A registered type: its parameters, its factory, and the parameter values that give a profile
   * of it LENS's triage ({@code triage}) or no shedding at all ({@code noTriage}).
   */
  private record SchedulerType(Settings parameters,
      BiFunction<SchedulerProfile, SchedulerEnvironment, BatchScheduler> factory,
      Map<String, String> triage, Map<String, String> noTriage) {}

  private static final Map<String, SchedulerType> TYPES = new TreeMap<>();

  static {
    TYPES.put(FcfsChunkedPrefillScheduler.TYPE, new SchedulerType(FcfsChunkedPrefillScheduler.PARAMETERS,
        FcfsChunkedPrefillScheduler::of, FcfsChunkedPrefillScheduler.TRIAGE, FcfsChunkedPrefillScheduler.NO_TRIAGE));
    TYPES.put(LensSchedulerType.TYPE, new SchedulerType(LensSchedulerType.PARAMETERS, LensSchedulerType::of,
        LensSchedulerType.TRIAGE, LensSchedulerType.NO_TRIAGE));
  }

  private static final Map<String, SchedulerProfile> PROFILES = loadBuiltIn();

  private BatchSchedulerRegistry() {}

  /**
   * A scheduler for a stand-alone engine ({@link SchedulerEnvironment#standalone}).
   *
   * @throws IllegalArgumentException naming the unknown scheduler and the known ones
   */
  public static BatchScheduler create(String name) {
    return create(name, SchedulerEnvironment.standalone("engine"));
  }

  /**
   * A fresh scheduler (schedulers keep state) for the engine described by {@code environment}
   * (never null).
   *
   * @throws IllegalArgumentException naming the unknown scheduler and the known ones
   */
  public static BatchScheduler create(String name, SchedulerEnvironment environment) {
    return create(known(name), environment);
  }

  /**
   * A fresh scheduler of {@code profile} (a built-in one, or one derived from it such as
   * {@link #withTriage}'s) for the engine {@code environment} describes.
   */
  public static BatchScheduler create(SchedulerProfile profile, SchedulerEnvironment environment) {
    return type(profile.type()).factory().apply(profile, environment);
  }

  /** The built-in profile {@code name}; fails naming the known ones. */
  public static SchedulerProfile known(String name) {
    SchedulerProfile profile = profile(name);
    if (profile == null) {
      throw new IllegalArgumentException(
          "unknown scheduler '" + name + "', known: " + String.join(", ", PROFILES.keySet()));
    }
    return profile;
  }

  /**
   * {@code profile} under the same name with LENS's triage ({@code true}: a static policy gets the
   * {@code -shed} profiles' timeout, LENS its own defaults) or with no shedding at all
   * ({@code false}: LENS still defers, it only stops shedding). Other parameters are kept.
   */
  public static SchedulerProfile withTriage(SchedulerProfile profile, boolean triage) {
    SchedulerType type = type(profile.type());
    Map<String, String> params = new TreeMap<>(profile.params());
    params.putAll(triage ? type.triage() : type.noTriage());
    return new SchedulerProfile(profile.name(), profile.type(), params).validate(type.parameters());
  }

  private static SchedulerType type(String type) {
    SchedulerType t = TYPES.get(type);
    if (t == null) {
      throw new IllegalArgumentException("unknown scheduler type '" + type + "', known: " + String.join(", ",
          TYPES.keySet()));
    }
    return t;
  }

  /** The profile behind a scheduler name, or null. */
  public static SchedulerProfile profile(String name) {
    return PROFILES.get(name);
  }

  /** The scheduler names, sorted. */
  public static Set<String> names() {
    return PROFILES.keySet();
  }

  /** The registered scheduler types, sorted. */
  public static Set<String> types() {
    return TYPES.keySet();
  }

  /**
   * The parameters scheduler type {@code type} declares (keys without a prefix), in docs order.
   *
   * @throws IllegalArgumentException naming the unknown type and the known ones
   */
  public static Settings parameters(String type) {
    return type(type).parameters();
  }

  /**
   * Every profile in {@code properties} (keys {@code scheduler.NAME.KEY}, {@code extends}
   * resolved), each checked against its type's declared parameters; sorted by name.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static Map<String, SchedulerProfile> parseAll(Properties properties) {
    Map<String, SchedulerProfile> out = new TreeMap<>();
    ProfileProperties.read(properties, "scheduler").forEach((name, p) -> {
      Map<String, String> params = new TreeMap<>(p.settings());
      String type = params.remove("type");
      if (type == null || type.isBlank()) {
        throw new IllegalArgumentException("scheduler." + name + ".type is required, one of "
            + String.join(", ", TYPES.keySet()));
      }
      if (!TYPES.containsKey(type)) {
        throw new IllegalArgumentException("scheduler." + name + ".type: unknown scheduler type '" + type
            + "', known: " + String.join(", ", TYPES.keySet()));
      }
      out.put(name, new SchedulerProfile(name, type, params).validate(TYPES.get(type).parameters()));
    });
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, SchedulerProfile> loadBuiltIn() {
    return parseAll(ProfileProperties.load(BatchSchedulerRegistry.class, PROFILES_RESOURCE));
  }
}
