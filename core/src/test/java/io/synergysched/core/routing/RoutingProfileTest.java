package io.synergysched.core.routing;

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
    assertTrue(p.shedWhenEmpty());
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
        "queue-depth", "power-of-two", "session-affinity", "llm-d-default", "llumnix-ttft", "prism"}) {
      assertEquals(name, RouterRegistry.create(name).name());
    }
    assertThrows(IllegalArgumentException.class, () -> RouterRegistry.create("nope"));
  }
}
