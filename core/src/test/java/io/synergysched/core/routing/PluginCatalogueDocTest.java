package io.synergysched.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.synergysched.core.setting.MarkdownCatalogue;
import io.synergysched.core.setting.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/routing.md's plugin catalogue says what the registry declares: every type, its kind, its parameters. */
class PluginCatalogueDocTest {

  private static final Path PAGE = Path.of("..", "docs", "routing.md");

  @Test
  void shouldListEveryRegisteredTypeWithItsDeclaredParametersWhenTheDocsAreRead() {
    Map<String, MarkdownCatalogue.Entry> catalogue = MarkdownCatalogue.read(PAGE, "## Plugin catalogue");

    Set<String> registered = new TreeSet<>();
    for (RoutingPluginRegistry.Kind kind : RoutingPluginRegistry.Kind.values()) {
      registered.addAll(RoutingPluginRegistry.types(kind));
    }
    assertThat(new TreeSet<>(catalogue.keySet())).as("types in the catalogue").isEqualTo(registered);
    for (String type : registered) {
      MarkdownCatalogue.Entry entry = catalogue.get(type);
      RoutingPlugin plugin = RoutingPluginRegistry.create(new PluginContext(
          new RoutingProfile("docs", List.of(), List.of(), "max-score", false, Map.of()), type, Map.of()));
      String kind = RoutingPluginRegistry.kind(type).name().toLowerCase(Locale.ROOT).replace('_', ' ');
      assertThat(entry.heading()).isEqualTo("### `" + type + "` (" + kind + ", `"
          + plugin.getClass().getSimpleName() + "`)");
      Settings declared = RoutingPluginRegistry.parameters(type);
      if (declared.keys().isEmpty()) {
        assertThat(entry.table()).as(type).isEmpty();
        assertThat(entry.text()).as(type).contains("No parameters.");
      } else {
        assertThat(String.join("\n", entry.table())).as("the table of %s in %s", type, PAGE)
            .isEqualTo(declared.markdownTable().strip());
      }
    }
  }
}
