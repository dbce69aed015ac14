package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RoutingProfileTest {

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void shouldReadScorersWeightsAndAdmissionWhenProfileIsComplete() {
    RoutingProfile p = RoutingProfile.parseAll(props(
        "profile.x.scorers", "queue:2, kv-cache-utilization:2,prefix-cache:3",
        "profile.x.picker", "max-score",
        "profile.x.admission", "shed",
        "profile.x.max-score.seed", "5")).get("x");
    assertEquals(3, p.scorers().size());
    assertEquals(3.0, p.scorers().get(2).weight());
    assertEquals("no-feasible-engine", p.admission(), "shed is the alias of PRISM's rule");
    assertEquals("5", p.params().get("max-score.seed"));
  }

  @Test
  void shouldFailNamingTheKeyWhenAWeightIsNotPositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingProfile.parseAll(
        props("profile.x.scorers", "queue:0", "profile.x.picker", "max-score")));
    assertTrue(e.getMessage().contains("profile.x.scorers"), e.getMessage());
  }

  @Test
  void shouldFailNamingTheKeyWhenThePickerIsMissing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RoutingProfile.parseAll(props("profile.x.scorers", "queue")));
    assertTrue(e.getMessage().contains("profile.x.picker"), e.getMessage());
  }

  @Test
  void shouldFailNamingTheTypeWhenAPluginIsUnknown() {
    RoutingProfile p = RoutingProfile.parseAll(props("profile.x.scorers", "qeueu", "profile.x.picker", "max-score")).get("x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProfileRouter(p, Map.of()));
    assertTrue(e.getMessage().contains("qeueu") && e.getMessage().contains("queue"), e.getMessage());
  }

  @Test
  void shouldFailNamingTheKeyWhenAParameterIsReadByNoPlugin() {
    RoutingProfile p = RoutingProfile.parseAll(props("profile.x.picker", "max-score", "profile.x.random.seed", "1"))
        .get("x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProfileRouter(p, Map.of()));
    assertTrue(e.getMessage().contains("profile.x.random.seed"), e.getMessage());
  }

  @Test
  void shouldBuildEveryBuiltInRouterWhenAskedByName() {
    for (String name : new String[] {"round-robin", "random", "least-request", "least-request-local", "least-kv",
        "queue-depth", "power-of-two", "session-affinity", "llm-d-default", "llm-d-predicted-latency", "llumnix", "llumnix-ttft", "prism"}) {
      assertEquals(name, RouterRegistry.create(name).name());
    }
    assertThrows(IllegalArgumentException.class, () -> RouterRegistry.create("nope"));
  }

  @Test
  void shouldInheritEverythingAndOverrideWhenAProfileExtendsAnother() {
    Map<String, RoutingProfile> all = RoutingProfile.parseAll(props(
        "profile.base.filters", "sample-candidates",
        "profile.base.scorers", "queue:2, least-request:1",
        "profile.base.picker", "max-score",
        "profile.base.admission", "shed",
        "profile.base.sample-candidates.sample-size", "4",
        "profile.base.max-score.seed", "3",
        "profile.child.extends", "base",
        "profile.child.scorers", "kv-cache-utilization:5",
        "profile.child.max-score.seed", "9",
        "profile.grandchild.extends", "child",
        "profile.grandchild.admission", "none"));

    RoutingProfile child = all.get("child");
    assertThat(child.filters()).containsExactly("sample-candidates");
    assertThat(child.scorers()).as("a list given again is replaced whole")
        .containsExactly(new RoutingProfile.WeightedScorer("kv-cache-utilization", 5));
    assertThat(child.picker()).isEqualTo("max-score");
    assertThat(child.admission()).isEqualTo("no-feasible-engine");
    assertThat(child.params()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "sample-candidates.sample-size", "4", "max-score.seed", "9"));
    assertThat(child.inheritedParams()).containsExactly("sample-candidates.sample-size");
    RoutingProfile grandchild = all.get("grandchild");
    assertThat(grandchild.admission()).isEqualTo("none");
    assertThat(grandchild.scorers()).isEqualTo(child.scorers());
    assertThat(grandchild.params()).isEqualTo(child.params());
  }

  @Test
  void shouldFailNamingTheKeyWhenExtendsIsUnknownOrCircular() {
    assertThatThrownBy(() -> RoutingProfile.parseAll(props("profile.x.extends", "nope", "profile.x.picker", "random")))
        .hasMessageStartingWith("profile.x.extends: unknown profile 'nope'");
    assertThatThrownBy(() -> RoutingProfile.parseAll(props(
        "profile.a.extends", "b", "profile.a.picker", "random", "profile.b.extends", "a")))
        .hasMessageContaining("profile.a.extends").hasMessageContaining("a -> b -> a");
  }

  @Test
  void shouldNotReportInheritedParametersWhenTheChildNoLongerRunsTheirPlugin() {
    RoutingProfile child = RoutingProfile.parseAll(props(
        "profile.base.picker", "random", "profile.base.random.seed", "5",
        "profile.child.extends", "base", "profile.child.picker", "round-robin")).get("child");

    assertThat(new ProfileRouter(child, Map.of()).name()).isEqualTo("child");
  }

  @Test
  void shouldSetParametersApartWhenTwoPluginsOfOneProfileDeclareTheSameKey() {
    RoutingProfile p = RoutingProfile.parseAll(props(
        "profile.x.filters", "sample-candidates", "profile.x.picker", "max-score",
        "profile.x.sample-candidates.seed", "11", "profile.x.max-score.seed", "12")).get("x");

    assertThat(new PluginContext(p, "sample-candidates", Map.of()).get(PluginParameters.SEED)).isEqualTo(11L);
    assertThat(new PluginContext(p, "max-score", Map.of()).get(PluginParameters.SEED)).isEqualTo(12L);
    assertThat(new PluginContext(p, "random", Map.of()).get(PluginParameters.SEED)).as("the default").isEqualTo(1L);
  }

  @Test
  void shouldFailNamingTheFullKeyWhenAParameterIsUnknownOrBad() {
    assertThatThrownBy(() -> build("profile.x.seed", "1"))
        .hasMessageStartingWith("profile.x.seed: not a profile setting")
        .hasMessageContaining("profile.x.PLUGIN-TYPE.seed");
    assertThatThrownBy(() -> build("profile.x.max-scor.seed", "1"))
        .hasMessageStartingWith("profile.x.max-scor.seed: no plugin type 'max-scor'");
    assertThatThrownBy(() -> build("profile.x.max-score.sead", "1"))
        .hasMessage("profile.x.max-score.sead: max-score has no such parameter, it has seed");
    assertThatThrownBy(() -> build("profile.x.max-score.seed", "one"))
        .hasMessageStartingWith("profile.x.max-score.seed must be a whole number");
    assertThatThrownBy(() -> build("profile.x.prism-forecaster.ledger-feed", "carrier-pigeon"))
        .hasMessageStartingWith("profile.x.prism-forecaster.ledger-feed must be one of response, telemetry");
    assertThatThrownBy(() -> build("profile.x.scorers", "queue, queue"))
        .hasMessageContaining("profile.x.scorers: queue appears twice");
  }

  @Test
  void shouldKeepTheEffectiveParametersOfThePrismProfilesWhenTheyExtendPrism() {
    RoutingProfile prism = RouterRegistry.profile("prism");
    RoutingProfile delayed = RouterRegistry.profile("prism-delayed-events");
    RoutingProfile lens = RouterRegistry.profile("prism-lens");

    assertThat(prism.params()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "sample-candidates.sample-size", "16", "slo-feasibility.ttft-margin", "0.7",
        "slo-feasibility.shed-slack", "0.75"));
    assertThat(delayed.filters()).isEqualTo(prism.filters());
    assertThat(delayed.scorers()).isEqualTo(prism.scorers());
    assertThat(delayed.picker()).isEqualTo(prism.picker());
    assertThat(delayed.admission()).isEqualTo(prism.admission()).isEqualTo("no-feasible-engine");
    Map<String, String> delayedParams = new java.util.TreeMap<>(prism.params());
    delayedParams.put("prism-forecaster.ledger-feed", "telemetry");
    assertThat(delayed.params()).isEqualTo(delayedParams);
    assertThat(lens.params()).isEqualTo(prism.params());
    assertThat(lens.scorers()).extracting(RoutingProfile.WeightedScorer::type)
        .containsExactly("slo-headroom", "decode-interference", "prefix-affinity", "kv-headroom");
  }

  private static ProfileRouter build(String key, String value) {
    Properties p = props("profile.x.picker", "max-score");
    p.setProperty(key, value);
    return new ProfileRouter(RoutingProfile.parseAll(p).get("x"), Map.of());
  }

  @Test
  void shouldFailNamingTheKnownRulesWhenTheAdmissionIsUnknown() {
    RoutingProfile p = RoutingProfile.parseAll(props("profile.x.picker", "max-score", "profile.x.admission", "drop"))
        .get("x");

    assertThatThrownBy(() -> new ProfileRouter(p, Map.of()))
        .hasMessageContaining("profile.x: unknown admission 'drop'")
        .hasMessageContaining("no-feasible-engine")
        .hasMessageContaining("llumnix-slo-hold");
  }

  @Test
  void shouldCheckTheParametersOfTheAdmissionRuleWhenTheRouterIsBuilt() {
    RoutingProfile bad = RoutingProfile.parseAll(props("profile.x.picker", "max-score",
        "profile.x.admission", "queue-threshold", "profile.x.queue-threshold.max-waiting", "0")).get("x");
    RoutingProfile notRun = RoutingProfile.parseAll(props("profile.x.picker", "max-score",
        "profile.x.queue-threshold.max-waiting", "3")).get("x");

    assertThatThrownBy(() -> new ProfileRouter(bad, Map.of()))
        .hasMessageContaining("profile.x.queue-threshold.max-waiting");
    assertThatThrownBy(() -> new ProfileRouter(notRun, Map.of()))
        .hasMessageContaining("parameter(s) of no plugin this profile runs")
        .hasMessageContaining("profile.x.queue-threshold.max-waiting");
  }

  @Test
  void shouldAdmitEverythingWhenTheProfileNamesNoRule() {
    RoutingProfile p = RoutingProfile.parseAll(props("profile.x.picker", "max-score")).get("x");

    assertThat(p.admission()).isEqualTo("none");
    assertThat(RouterRegistry.profile("llm-d-default").admission()).isEqualTo("none");
    assertThat(RouterRegistry.profile("prism").admission()).isEqualTo("no-feasible-engine");
  }
}
