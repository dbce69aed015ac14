package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.synergysched.core.setting.Settings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps routing plugins self-contained: every filter, scorer, picker and admission
 * rule in {@code core.routing} declares its {@code TYPE} and {@code PARAMETERS}, is registered
 * under that type with those parameters, and has a test class named after it.
 */
class RoutingPluginRegistryTest {

  private static final Map<Class<?>, RoutingPluginRegistry.Kind> KINDS = Map.of(
      CandidateFilter.class, RoutingPluginRegistry.Kind.FILTER,
      CandidateScorer.class, RoutingPluginRegistry.Kind.SCORER,
      CandidatePicker.class, RoutingPluginRegistry.Kind.PICKER,
      AdmissionRule.class, RoutingPluginRegistry.Kind.ADMISSION);

  private static final JavaClasses ROUTING = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.synergysched.core.routing");

  @Test
  void shouldRegisterEveryPluginUnderItsTypeWithItsParametersWhenCompiled() throws ReflectiveOperationException {
    Map<String, Class<?>> implementations = implementations();
    assertThat(implementations).hasSizeGreaterThanOrEqualTo(24);

    Set<String> registered = new TreeSet<>();
    for (RoutingPluginRegistry.Kind kind : KINDS.values()) {
      registered.addAll(RoutingPluginRegistry.types(kind));
    }
    assertThat(registered).as("every registered type has its class, and every class is registered")
        .isEqualTo(implementations.keySet());
    for (Map.Entry<String, Class<?>> e : implementations.entrySet()) {
      String type = e.getKey();
      Class<?> plugin = e.getValue();
      assertThat(RoutingPluginRegistry.kind(type)).as(type).isEqualTo(kindOf(plugin));
      assertThat(RoutingPluginRegistry.parameters(type)).as("%s registered with %s.PARAMETERS", type,
          plugin.getSimpleName()).isSameAs(constant(plugin, "PARAMETERS"));
      RoutingPlugin built = RoutingPluginRegistry.create(new PluginContext(profile(), type, Map.of()));
      assertThat(built).as(type).isExactlyInstanceOf(plugin);
      assertThat(built.type()).isEqualTo(type);
    }
  }

  @Test
  void shouldHaveATestClassNamedAfterEveryPluginWhenCompiled() {
    for (Class<?> plugin : implementations().values()) {
      String test = plugin.getName() + "Test";
      assertThat(exists(test)).as("a table-driven test %s", test).isTrue();
    }
  }

  @Test
  void shouldDeclareEverySharedComponentWhenRegistered() {
    Set<String> shared = RoutingPluginRegistry.types(RoutingPluginRegistry.Kind.SHARED_COMPONENT);
    assertThat(shared).containsExactlyInAnyOrder("llmd-latency-predictor", "llumnix-instance-status",
        "prism-forecaster", "profiled-latency-predictor");
    for (String type : shared) {
      RoutingPlugin component = RoutingPluginRegistry.create(new PluginContext(profile(), type, Map.of()));
      assertThat(component.type()).isEqualTo(type);
    }
  }

  @Test
  void shouldRegisterTheAdmissionRulesEveryProfileCanCarryWhenLoaded() {
    assertThat(RoutingPluginRegistry.types(RoutingPluginRegistry.Kind.ADMISSION)).containsExactlyInAnyOrder(
        "none", "no-feasible-engine", "latency-slo-admitter", "queue-threshold", "llumnix-slo-hold");
  }


  /** Concrete filters, scorers and pickers in {@code io.synergysched.core.routing..}, by their TYPE. */
  private static Map<String, Class<?>> implementations() {
    Map<String, Class<?>> out = new TreeMap<>();
    for (JavaClass c : ROUTING) {
      boolean plugin = KINDS.keySet().stream().anyMatch(c::isAssignableTo);
      if (plugin && !c.isInterface() && !c.getModifiers().contains(JavaModifier.ABSTRACT)) {
        Class<?> type = c.reflect();
        try {
          out.put((String) constant(type, "TYPE"), type);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(type.getName() + " declares no public static final TYPE", e);
        }
      }
    }
    return out;
  }

  private static Object constant(Class<?> type, String name) throws ReflectiveOperationException {
    Field f = type.getField(name);
    int m = f.getModifiers();
    assertThat(Modifier.isStatic(m) && Modifier.isFinal(m)).as("%s.%s is static final", type.getSimpleName(), name)
        .isTrue();
    Object value = f.get(null);
    assertThat(value).isInstanceOfAny(String.class, Settings.class);
    return value;
  }

  private static RoutingPluginRegistry.Kind kindOf(Class<?> plugin) {
    List<RoutingPluginRegistry.Kind> kinds = KINDS.entrySet().stream()
        .filter(e -> e.getKey().isAssignableFrom(plugin)).map(Map.Entry::getValue).toList();
    assertThat(kinds).as("%s is one kind of plugin", plugin.getSimpleName()).hasSize(1);
    return kinds.get(0);
  }

  private static boolean exists(String className) {
    try {
      Class.forName(className, false, RoutingPluginRegistryTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static RoutingProfile profile() {
    return new RoutingProfile("test", List.of(), List.of(), "max-score", false, Map.of());
  }
}
