package io.synergysched.core.routing;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What one plugin instance gets when it is built: its own parameters, typed, from the keys
 * {@code profile.NAME.TYPE.KEY} of its profile (only the ones its type declares in
 * {@link RoutingPluginRegistry#parameters}), and the components shared by the plugins of one
 * router (for example the PRISM forecaster that the feasibility filter and the headroom scorer
 * both read), each with parameters of its own under its type. Single-threaded, used only while
 * the router is built.
 */
public final class PluginContext {

  /** State shared by the contexts of one router's plugins. */
  private static final class Assembly {
    final RoutingProfile profile;
    final Map<Class<?>, Object> shared;
    /** Registered shared components by type, so two APIs of one component reach one instance. */
    final Map<String, Object> sharedByType = new HashMap<>();
    /** Parameter values by full key, {@code profile.NAME.TYPE.KEY}. */
    final Map<String, String> byFullKey = new TreeMap<>();
    /** Types (plugins and shared components) some plugin of the router uses. */
    final Set<String> used = new HashSet<>();

    Assembly(RoutingProfile profile, Map<Class<?>, Object> shared) {
      this.profile = profile;
      this.shared = new LinkedHashMap<>(shared);
      profile.params().forEach((key, value) -> byFullKey.put(prefix(profile) + key, value));
    }
  }

  private final Assembly assembly;
  private final String component;
  private final Settings parameters;

  private PluginContext(Assembly assembly, String component, Settings parameters) {
    this.assembly = assembly;
    this.component = component;
    this.parameters = parameters;
  }

  /**
   * The context of one plugin built on its own (tests, tools): its parameters from
   * {@code profile}, checked against the declarations of {@code component}.
   *
   * @param component the plugin's registered type
   * @param shared components pre-supplied by the host (e.g. a fixed forecaster)
   * @throws IllegalArgumentException naming the full key of an unknown or bad parameter
   */
  public PluginContext(RoutingProfile profile, String component, Map<Class<?>, Object> shared) {
    this(new Assembly(profile, shared), component, RoutingPluginRegistry.parameters(component));
    checkParameters(profile, component);
  }

  /** The context a router's plugins are built from; {@link #forComponent} gives each its own. */
  static PluginContext forRouter(RoutingProfile profile, Map<Class<?>, Object> shared) {
    checkParameters(profile, null);
    return new PluginContext(new Assembly(profile, shared), null, Settings.of());
  }

  /** The context of the plugin or shared component {@code type} of the same router. */
  PluginContext forComponent(String type) {
    assembly.used.add(type);
    return new PluginContext(assembly, type, RoutingPluginRegistry.parameters(type));
  }

  public RoutingProfile profile() {
    return assembly.profile;
  }

  /** The registered type this context is for. */
  public String component() {
    return component;
  }

  /**
   * This plugin's value of {@code parameter}, one of its type's declared parameters: the profile's
   * {@code profile.NAME.TYPE.KEY}, else the declared default.
   *
   * @throws IllegalArgumentException naming the full key when the value is bad
   * @throws IllegalStateException when the type does not declare {@code parameter}
   */
  public <T> T get(Setting<T> parameter) {
    if (parameters.get(parameter.key()) != parameter) {
      throw new IllegalStateException(component + " reads '" + parameter.key()
          + "', which is not in its declared parameters " + parameters.keys());
    }
    return parameter.under(prefix(assembly.profile) + component + ".").read(assembly.byFullKey);
  }

  /**
   * The shared component of registered type {@code componentType} (kind
   * {@link RoutingPluginRegistry.Kind#SHARED_COMPONENT}) under the API {@code api}, created on
   * first use from its own parameters ({@code profile.NAME.COMPONENT-TYPE.KEY}) unless the host
   * supplied one. A component asked for under two APIs it implements (llm-d's predictor is both
   * its own forecast and a {@link LatencyPredictor}) is one instance. A shared component gets the
   * router's callbacks once, before the plugins that use it; plugins must not forward callbacks to
   * it.
   */
  public <T> T shared(Class<T> api, String componentType) {
    PluginContext own = forComponent(componentType);
    Object existing = assembly.shared.get(api);
    if (existing == null) {
      existing = assembly.sharedByType.get(componentType);
      if (existing == null) {
        existing = RoutingPluginRegistry.create(own);
        assembly.sharedByType.put(componentType, existing);
      }
      assembly.shared.put(api, existing);
    }
    return api.cast(existing);
  }

  /** A shared component without parameters (a data structure two plugins read), created on first use. */
  public <T> T shared(Class<T> type, Supplier<? extends T> create) {
    Object existing = assembly.shared.get(type);
    if (existing == null) {
      existing = create.get();
      assembly.shared.put(type, existing);
    }
    return type.cast(existing);
  }

  /** Shared components that want the router's callbacks, in creation order. */
  List<RoutingPlugin> sharedPlugins() {
    List<RoutingPlugin> out = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object o : assembly.shared.values()) {
      if (o instanceof RoutingPlugin p && seen.add(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The full keys of parameters the profile sets itself (not inherited by {@code extends}) for a
   * type no plugin of this router uses: a parameter of a plugin the profile does not run.
   */
  List<String> unusedKeys() {
    List<String> unused = new ArrayList<>();
    RoutingProfile profile = assembly.profile;
    for (String key : profile.params().keySet()) {
      if (!profile.inheritedParams().contains(key)
          && !assembly.used.contains(key.substring(0, key.indexOf('.')))) {
        unused.add(prefix(profile) + key);
      }
    }
    return unused;
  }

  /**
   * Every parameter of {@code profile} (or only those of {@code onlyType}, when not null) names a
   * registered type and a key that type declares, and holds a valid value.
   *
   * @throws IllegalArgumentException naming the full key
   */
  private static void checkParameters(RoutingProfile profile, String onlyType) {
    profile.params().forEach((key, value) -> {
      String type = key.substring(0, key.indexOf('.'));
      if (onlyType != null && !onlyType.equals(type)) {
        return;
      }
      String fullKey = prefix(profile) + key;
      if (value.isBlank()) {
        return; // read as the declared default, as Setting#read does
      }
      if (RoutingPluginRegistry.kind(type) == null) {
        throw new IllegalArgumentException(fullKey + ": no plugin type '" + type
            + "' (parameters are profile.NAME.PLUGIN-TYPE.KEY; types: "
            + String.join(", ", allTypes()) + ")");
      }
      Settings declared = RoutingPluginRegistry.parameters(type);
      Setting<?> setting = declared.get(key.substring(type.length() + 1));
      if (setting == null) {
        throw new IllegalArgumentException(fullKey + ": " + type + " has no such parameter"
            + (declared.keys().isEmpty() ? " (it has none)" : ", it has " + String.join(", ", declared.keys())));
      }
      setting.under(prefix(profile) + type + ".").parse(value);
    });
  }

  private static List<String> allTypes() {
    List<String> all = new ArrayList<>();
    for (RoutingPluginRegistry.Kind kind : RoutingPluginRegistry.Kind.values()) {
      all.addAll(RoutingPluginRegistry.types(kind));
    }
    return all;
  }

  private static String prefix(RoutingProfile profile) {
    return "profile." + profile.name() + ".";
  }
}
